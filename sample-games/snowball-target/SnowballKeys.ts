import type { SnowballInput } from './SnowballAgent.js';

const FORWARD = ['KeyW', 'ArrowUp'];
const BACK = ['KeyS', 'ArrowDown'];
const LEFT = ['KeyA', 'ArrowLeft'];
const RIGHT = ['KeyD', 'ArrowRight'];
const SHOOT = ['Space'];
const TOGGLE_RAYS = 'KeyR';
const HANDLED = new Set([...FORWARD, ...BACK, ...LEFT, ...RIGHT, ...SHOOT, TOGGLE_RAYS]);

/**
 * The keyboard of SnowballTarget: arrows or WASD walk and turn, space throws, R shows the rays.
 * Keys are read by physical position (KeyboardEvent.code), so WASD works on any layout.
 */
export class SnowballKeys implements SnowballInput {
  /** Flipped by R: whether the view draws the bears' rays. */
  showRays = false;
  private readonly held = new Set<string>();
  private readonly target: Window;

  constructor(canvas: HTMLCanvasElement) {
    const win = canvas.ownerDocument.defaultView;
    if (!win) throw new Error('SnowballKeys: the canvas must be attached to a document with a window');
    this.target = win;
    win.addEventListener('keydown', this.onDown);
    win.addEventListener('keyup', this.onUp);
    win.addEventListener('blur', this.onBlur);
  }

  /** 1 forward, -1 back, 0 when neither or both are held. */
  move(): number {
    return this.any(FORWARD) - this.any(BACK);
  }

  /** 1 right, -1 left, 0 when neither or both are held. */
  turn(): number {
    return this.any(RIGHT) - this.any(LEFT);
  }

  /** Whether space is held (the bear throws whenever it can while it is). */
  shoot(): boolean {
    return this.any(SHOOT) === 1;
  }

  /** Stops listening. */
  dispose(): void {
    this.target.removeEventListener('keydown', this.onDown);
    this.target.removeEventListener('keyup', this.onUp);
    this.target.removeEventListener('blur', this.onBlur);
    this.held.clear();
  }

  private any(codes: readonly string[]): number {
    return codes.some((c) => this.held.has(c)) ? 1 : 0;
  }

  private readonly onDown = (e: KeyboardEvent): void => {
    if (!HANDLED.has(e.code)) return;
    // Arrows and space would scroll the page.
    e.preventDefault();
    if (e.code === TOGGLE_RAYS && !e.repeat) this.showRays = !this.showRays;
    this.held.add(e.code);
  };

  private readonly onUp = (e: KeyboardEvent): void => {
    this.held.delete(e.code);
  };

  // A key released while the window is not focused never sends keyup.
  private readonly onBlur = (): void => {
    this.held.clear();
  };
}
