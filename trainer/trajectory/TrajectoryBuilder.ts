import { observationSize, actionMaskSize, type BehaviorSpec } from '../../bridge/spec/BehaviorSpec.js';
import type { Trajectory } from './Trajectory.js';

/**
 * Accumulates one agent's steps into flat growable columns, so that a trajectory is cut
 * without per-step allocations. Capacity is `timeHorizon`, the longest a trajectory can get.
 */
export class TrajectoryBuilder {
  private readonly obsSizes: number[];
  private readonly maskSize: number;
  private obs: Float32Array[];
  private continuousRaw: Float32Array;
  private discrete: Int32Array;
  private logProbs: Float32Array | null = null;
  private masks: Uint8Array | null;
  private rewards: Float32Array;
  private groupRewards: Float32Array;
  private n = 0;

  constructor(
    private readonly spec: BehaviorSpec,
    private readonly capacity: number,
  ) {
    this.obsSizes = spec.observations.map(observationSize);
    this.maskSize = actionMaskSize(spec.actions);
    this.obs = this.obsSizes.map((s) => new Float32Array(s * capacity));
    this.continuousRaw = new Float32Array(spec.actions.continuous * capacity);
    this.discrete = new Int32Array(spec.actions.discrete.length * capacity);
    this.masks = this.maskSize > 0 ? new Uint8Array(this.maskSize * capacity) : null;
    this.rewards = new Float32Array(capacity);
    this.groupRewards = new Float32Array(capacity);
  }

  get length(): number {
    return this.n;
  }

  /**
   * Appends one step: the observation the decision was made on, what was done and what it earned.
   * `obs[k]` / `mask` / `continuousRaw` / `discrete` / `logProbs` are rows of the given arrays.
   */
  push(step: {
    obs: readonly Float32Array[];
    obsRow: number;
    mask: Uint8Array | null;
    maskRow: number;
    continuousRaw: Float32Array;
    discrete: Int32Array;
    logProbs: Float32Array;
    logProbWidth: number;
    actionRow: number;
    reward: number;
    groupReward: number;
  }): void {
    if (this.n >= this.capacity) throw new Error('TrajectoryBuilder: capacity exceeded (time_horizon bookkeeping bug)');
    const i = this.n;
    this.obsSizes.forEach((size, k) => {
      this.obs[k]!.set(step.obs[k]!.subarray(step.obsRow * size, (step.obsRow + 1) * size), i * size);
    });
    if (this.masks) {
      const m = this.maskSize;
      if (step.mask) this.masks.set(step.mask.subarray(step.maskRow * m, (step.maskRow + 1) * m), i * m);
      else this.masks.fill(1, i * m, (i + 1) * m);
    }
    const c = this.spec.actions.continuous;
    const b = this.spec.actions.discrete.length;
    const r = step.actionRow;
    if (c > 0) this.continuousRaw.set(step.continuousRaw.subarray(r * c, (r + 1) * c), i * c);
    if (b > 0) this.discrete.set(step.discrete.subarray(r * b, (r + 1) * b), i * b);
    const lpWidth = step.logProbWidth;
    this.ensureLogProbs(lpWidth);
    this.logProbs!.set(step.logProbs.subarray(r * lpWidth, (r + 1) * lpWidth), i * lpWidth);
    this.rewards[i] = step.reward;
    this.groupRewards[i] = step.groupReward;
    this.n++;
  }

  /** Cuts the trajectory built so far and starts empty again. */
  take(agentKey: number, nextObs: Float32Array[], doneReached: boolean, interrupted: boolean): Trajectory {
    const n = this.n;
    const c = this.spec.actions.continuous;
    const b = this.spec.actions.discrete.length;
    const lpWidth = this.logProbs ? this.logProbs.length / this.capacity : 0;
    const t: Trajectory = {
      agentKey,
      length: n,
      obs: this.obs.map((col, k) => col.slice(0, n * this.obsSizes[k]!)),
      nextObs,
      continuousRaw: this.continuousRaw.slice(0, n * c),
      discrete: this.discrete.slice(0, n * b),
      logProbs: this.logProbs ? this.logProbs.slice(0, n * lpWidth) : new Float32Array(0),
      actionMasks: this.masks ? this.masks.slice(0, n * this.maskSize) : null,
      rewards: this.rewards.slice(0, n),
      groupRewards: this.groupRewards.slice(0, n),
      doneReached,
      interrupted,
    };
    this.n = 0;
    return t;
  }

  /** Forgets the steps gathered so far. */
  clear(): void {
    this.n = 0;
  }

  private ensureLogProbs(width: number): void {
    if (!this.logProbs) this.logProbs = new Float32Array(width * this.capacity);
  }
}
