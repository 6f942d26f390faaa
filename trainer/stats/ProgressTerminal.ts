import { clearScreenDown } from 'node:readline';
import cliProgress from 'cli-progress';

/** The part of a Node stream the terminal output needs (process.stdout fits). */
export interface TerminalStream {
  write(chunk: string): boolean;
  isTTY?: boolean;
  columns?: number;
}

/** Bars are redrawn at most this often; the ETA averages the last ETA_UPDATES updates (≈ 60 s). */
const FPS = 5;
const ETA_UPDATES = 300;

/**
 * Log lines plus, when interactive, one cli-progress bar per behavior pinned below them.
 * Every line goes through here so that nothing is printed between a bar's redraws (which is what
 * garbles progress-bar terminals); in plain mode (pipes, CI, files) only the lines are written.
 */
export class ProgressTerminal {
  private readonly multiBar: cliProgress.MultiBar | null;
  private readonly bars = new Map<string, { bar: cliProgress.SingleBar; shown: number; latest: number; lastDraw: number }>();
  private closed = false;
  private linesPending = false;

  /**
   * @param interactive draw bars; pass `ProgressTerminal.isInteractive(stream)` for the usual rule.
   */
  constructor(
    private readonly stream: TerminalStream,
    readonly interactive: boolean,
    private readonly now: () => number = Date.now,
  ) {
    this.multiBar = interactive
      ? new cliProgress.MultiBar({
          stream: stream as NodeJS.WritableStream,
          format: '{category} |{bar}| {percentage}% | {value}/{total} steps | ETA: {eta_formatted}',
          barCompleteChar: '\u2588',
          barIncompleteChar: '\u2591',
          // Name, bar, percentage, "500000/500000 steps" and the ETA fit in 80 columns.
          barsize: 25,
          fps: FPS,
          etaBuffer: ETA_UPDATES,
          // Log lines are written over the bars' rows; unchanged bars must be drawn again anyway.
          forceRedraw: true,
          // Ctrl+C belongs to the trainer (it saves the model first); a listener here would keep
          // the process alive and a hidden cursor would outlive a crash.
          gracefulExit: false,
          hideCursor: false,
          clearOnComplete: false,
          autopadding: true,
          // Keep the terminal's auto-wrap on (cli-progress turns it off by default, which would cut
          // long INFO lines at the right edge); bars are trimmed to the width instead.
          linewrap: true,
        })
      : null;
    if (this.multiBar !== null) {
      // cli-progress re-arms a plain setTimeout after every redraw; unref it so a trainer that ends
      // without close() can still exit.
      const unrefTimer = () => (this.multiBar as unknown as { timer?: NodeJS.Timeout | null }).timer?.unref?.();
      this.multiBar.on('start', unrefTimer);
      this.multiBar.on('update-post', unrefTimer);
      // cli-progress clears only the first bar row before printing log lines, so the later rows of
      // a wrapped line land on the other bars' rows and leave fragments of them behind: with the
      // cursor back on the first bar row, clear everything below before the lines are printed.
      this.multiBar.on('redraw-pre', () => {
        if (!this.linesPending) return;
        this.linesPending = false;
        clearScreenDown(stream as NodeJS.WritableStream);
      });
    }
  }

  /** Bars only on a TTY, and not under CI or TERM=dumb, where escape codes would end up in logs. */
  static isInteractive(stream: TerminalStream, env: NodeJS.ProcessEnv = process.env): boolean {
    const ci = env.CI !== undefined && env.CI !== '' && env.CI !== 'false' && env.CI !== '0';
    return stream.isTTY === true && !ci && env.TERM !== 'dumb';
  }

  /** Prints one line (no trailing newline needed) above the bars, or plainly once they are gone. */
  line(text: string): void {
    if (this.closed || this.multiBar === null || this.bars.size === 0) {
      this.stream.write(text + '\n');
      return;
    }
    this.linesPending = true;
    this.multiBar.log(text + '\n');
    // Flush now rather than at the next frame so lines keep their order with anything the caller
    // prints right after.
    this.multiBar.update();
  }

  /** Declares the step count a behavior trains to; creates its bar when interactive. */
  setTotal(category: string, total: number, current = 0): void {
    if (this.multiBar === null || this.closed || total <= 0) return;
    const existing = this.bars.get(category);
    if (existing !== undefined) {
      existing.bar.setTotal(total);
      return;
    }
    const bar = this.multiBar.create(total, current, { category });
    this.bars.set(category, { bar, shown: current, latest: current, lastDraw: this.now() });
    // Pad names to the longest so the bars of all behaviors line up.
    const width = Math.max(...[...this.bars.keys()].map((name) => name.length));
    for (const [name, entry] of this.bars) entry.bar.update({ category: name.padEnd(width) });
  }

  /** Moves a behavior's bar; throttled so that calling it per trajectory costs nothing. */
  update(category: string, step: number): void {
    const entry = this.bars.get(category);
    if (entry === undefined || this.closed) return;
    entry.latest = step;
    const t = this.now();
    if (t - entry.lastDraw < 1000 / FPS) return;
    entry.lastDraw = t;
    entry.shown = step;
    entry.bar.update(step);
  }

  /** Draws the final state of the bars and releases the terminal; later calls do nothing. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    if (this.multiBar === null) return;
    for (const entry of this.bars.values()) if (entry.latest !== entry.shown) entry.bar.update(entry.latest);
    this.multiBar.update();
    this.multiBar.stop();
  }
}
