/**
 * Maps real time to fixed simulation steps for a view: each animation frame the page asks how many
 * times to call `sync.step()`. Headless runs ignore this and step as fast as they can.
 */

/**
 * Steps to run for a frame that lasted `elapsedSeconds` of real time at `timeScale`x speed, and the
 * simulated time left over for the next frame. At most `maxStepsPerFrame` steps run; time beyond
 * that is dropped (a hidden tab must not come back to a burst of thousands of steps).
 */
export function stepsForFrame(
  elapsedSeconds: number,
  fixedDeltaTime: number,
  timeScale: number,
  maxStepsPerFrame: number,
  carrySeconds = 0,
): { steps: number; carrySeconds: number } {
  if (!(fixedDeltaTime > 0) || !Number.isFinite(fixedDeltaTime)) {
    throw new Error(`stepsForFrame: fixedDeltaTime must be a finite number > 0, got ${fixedDeltaTime}`);
  }
  if (!(timeScale >= 0) || !Number.isFinite(timeScale)) throw new Error(`stepsForFrame: timeScale must be a finite number >= 0, got ${timeScale}`);
  if (!Number.isInteger(maxStepsPerFrame) || maxStepsPerFrame < 1) {
    throw new Error(`stepsForFrame: maxStepsPerFrame must be an integer >= 1, got ${maxStepsPerFrame}`);
  }
  const elapsed = Number.isFinite(elapsedSeconds) && elapsedSeconds > 0 ? elapsedSeconds : 0;
  const simulated = carrySeconds + elapsed * timeScale;
  // The epsilon keeps 3 frames of exactly 1/60 s from adding up to 2.9999 steps.
  const due = Math.floor(simulated / fixedDeltaTime + 1e-9);
  if (due > maxStepsPerFrame) return { steps: maxStepsPerFrame, carrySeconds: 0 };
  return { steps: due, carrySeconds: Math.max(0, simulated - due * fixedDeltaTime) };
}

/** stepsForFrame with the leftover time kept between frames. */
export class FrameStepper {
  private carry = 0;

  constructor(
    readonly fixedDeltaTime: number,
    /** Simulated seconds per real second (the trainer's --time-scale in a training window). */
    public timeScale = 1,
    readonly maxStepsPerFrame = 100,
  ) {
    stepsForFrame(0, fixedDeltaTime, timeScale, maxStepsPerFrame);
  }

  /** Steps to run for a frame that lasted `elapsedSeconds` of real time. */
  next(elapsedSeconds: number): number {
    const r = stepsForFrame(elapsedSeconds, this.fixedDeltaTime, this.timeScale, this.maxStepsPerFrame, this.carry);
    this.carry = r.carrySeconds;
    return r.steps;
  }

  /** Drops leftover time (after a pause). */
  reset(): void {
    this.carry = 0;
  }
}
