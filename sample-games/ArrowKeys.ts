/** Which arrow keys are held, read from the canvas's window; stops the page scrolling on arrows. */
export class ArrowKeys {
  private readonly held = new Set<string>();
  private readonly presses: string[] = [];
  private readonly target: Window;

  constructor(canvas: HTMLCanvasElement) {
    const win = canvas.ownerDocument.defaultView;
    if (!win) throw new Error('ArrowKeys: the canvas must be attached to a document with a window');
    this.target = win;
    win.addEventListener('keydown', this.onDown);
    win.addEventListener('keyup', this.onUp);
    win.addEventListener('blur', this.onBlur);
  }

  /** +1 when only the right arrow is held, -1 when only the left one, else 0. */
  get horizontal(): number {
    return Number(this.held.has('ArrowRight')) - Number(this.held.has('ArrowLeft'));
  }

  /** +1 when only the up arrow is held, -1 when only the down one, else 0. */
  get vertical(): number {
    return Number(this.held.has('ArrowUp')) - Number(this.held.has('ArrowDown'));
  }

  /**
   * The oldest left/right press not yet taken, as -1 or +1 (0 when none): one move per press,
   * for games that step much faster than a player presses keys. Auto-repeat is ignored.
   */
  takeHorizontalPress(): number {
    const i = this.presses.findIndex((k) => k === 'ArrowLeft' || k === 'ArrowRight');
    if (i < 0) return 0;
    const [key] = this.presses.splice(i, 1);
    return key === 'ArrowRight' ? 1 : -1;
  }

  /** Stops listening. */
  dispose(): void {
    this.target.removeEventListener('keydown', this.onDown);
    this.target.removeEventListener('keyup', this.onUp);
    this.target.removeEventListener('blur', this.onBlur);
    this.held.clear();
    this.presses.length = 0;
  }

  private readonly onDown = (e: KeyboardEvent): void => {
    if (!e.key.startsWith('Arrow')) return;
    e.preventDefault();
    this.held.add(e.key);
    // A short queue: presses nobody takes (a game without press input) must not pile up.
    if (!e.repeat) this.presses.push(e.key);
    if (this.presses.length > 8) this.presses.shift();
  };

  private readonly onUp = (e: KeyboardEvent): void => {
    this.held.delete(e.key);
  };

  // A key released while the window is not focused never sends keyup.
  private readonly onBlur = (): void => {
    this.held.clear();
  };
}
