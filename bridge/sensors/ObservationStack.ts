/**
 * Temporal stacking of a sensor's results, as ML-Agents' StackingSensor: the output holds the last
 * `stacks` frames oldest first, newest last, zeros until enough frames were pushed and after reset.
 */
export class ObservationStack {
  private readonly frames: Float32Array[];
  private current = 0;
  /** The stacked output, `frameSize * stacks` floats, rewritten by every push. */
  readonly output: Float32Array;

  constructor(
    readonly frameSize: number,
    readonly stacks: number,
  ) {
    if (!Number.isInteger(frameSize) || frameSize < 1) throw new Error(`ObservationStack: frameSize must be an integer >= 1, got ${frameSize}`);
    if (!Number.isInteger(stacks) || stacks < 1) throw new Error(`ObservationStack: stacks must be an integer >= 1, got ${stacks}`);
    this.frames = Array.from({ length: stacks }, () => new Float32Array(frameSize));
    this.output = new Float32Array(frameSize * stacks);
  }

  /** Adds the newest frame and returns the stacked output. */
  push(frame: ArrayLike<number>): Float32Array {
    if (frame.length !== this.frameSize) {
      throw new Error(`ObservationStack.push: expected a frame of ${this.frameSize} floats, got ${frame.length}`);
    }
    this.current = (this.current + 1) % this.stacks;
    this.frames[this.current]!.set(frame);
    for (let i = 0; i < this.stacks; i++) {
      this.output.set(this.frames[(this.current + 1 + i) % this.stacks]!, i * this.frameSize);
    }
    return this.output;
  }

  /** Forgets every frame (a new episode starts from zeros). */
  reset(): void {
    for (const f of this.frames) f.fill(0);
    this.output.fill(0);
    this.current = 0;
  }
}
