import type { BehaviorSpec } from '../../bridge/spec/BehaviorSpec.js';

/** How a corridor is laid out. */
export interface SparseCorridorOptions {
  /** Agents, each in its own corridor. */
  agents: number;
  /** Cells from the start (0) to the goal (length). */
  length: number;
  /** Decisions before an episode is interrupted. */
  maxSteps: number;
  /** Where agents start. */
  start: number;
  /** Reward at cell 0, the near end (ends the episode too); the far end pays 1. */
  decoyReward: number;
}

/** One report for PpoTrainer.step, shaped as the EnvManager's batches. */
export interface CorridorReport {
  terminals: { agentKeys: Int32Array; obs: Float32Array[]; rewards: Float32Array; groupRewards: Float32Array; interrupted: Uint8Array; n: number };
  decisions: { agentKeys: Int32Array; obs: Float32Array[]; rewards: Float32Array; groupRewards: Float32Array; actionMasks: Uint8Array | null; n: number };
}

// Discrete actions of the one branch.
const STAY = 0;
const LEFT = 1;
const RIGHT = 2;

/**
 * A sparse-reward exploration test with a decoy: each agent starts at cell `start` of a corridor
 * of cells 0..length; stepping onto cell 0 ends the episode with the small `decoyReward`, onto
 * cell `length` with 1; otherwise the episode is interrupted after `maxSteps` decisions with
 * nothing. The observation is a one-hot of the cell; actions are stay / left / right. Random play
 * almost never walks the length of a long corridor, and a learner that follows the extrinsic
 * reward alone settles on the near decoy; reaching the far end takes directed exploration.
 */
export class SparseCorridor {
  readonly spec: BehaviorSpec;
  /** Episodes ended so far, how many of them at the far goal and how many at the decoy. */
  episodes = 0;
  goals = 0;
  decoys = 0;
  /** Furthest cell any agent has reached. */
  furthest = 0;
  private readonly position: Int32Array;
  private readonly steps: Int32Array;
  private readonly keys: Int32Array;

  constructor(readonly options: SparseCorridorOptions) {
    const { agents, length, maxSteps, start, decoyReward } = options;
    if (!Number.isInteger(agents) || agents < 1) throw new Error(`SparseCorridor.agents: expected an integer >= 1, got ${agents}`);
    if (!Number.isInteger(length) || length < 1) throw new Error(`SparseCorridor.length: expected an integer >= 1, got ${length}`);
    if (!Number.isInteger(maxSteps) || maxSteps < 1) throw new Error(`SparseCorridor.maxSteps: expected an integer >= 1, got ${maxSteps}`);
    if (!Number.isInteger(start) || start < 1 || start >= length) throw new Error(`SparseCorridor.start: expected an integer in 1..${length - 1}, got ${start}`);
    if (!(decoyReward >= 0 && decoyReward < 1)) throw new Error(`SparseCorridor.decoyReward: expected a number in [0, 1), got ${decoyReward}`);
    this.spec = {
      name: 'SparseCorridor',
      observations: [{ name: 'cell', shape: [length + 1], kind: 'vector' }],
      actions: { continuous: 0, discrete: [3] },
      teamCount: 1,
      maxStep: maxSteps,
    };
    this.position = new Int32Array(agents);
    this.steps = new Int32Array(agents);
    this.keys = Int32Array.from({ length: agents }, (_, i) => i);
  }

  /** The first report: every agent asks for a decision at cell 0. */
  start(): CorridorReport {
    this.position.fill(this.options.start);
    this.steps.fill(0);
    const n = this.options.agents;
    return {
      terminals: { agentKeys: new Int32Array(0), obs: [new Float32Array(0)], rewards: new Float32Array(0), groupRewards: new Float32Array(0), interrupted: new Uint8Array(0), n: 0 },
      decisions: { agentKeys: this.keys, obs: [this.cells()], rewards: new Float32Array(n), groupRewards: new Float32Array(n), actionMasks: null, n },
    };
  }

  /** Applies one action per agent (rows in agent order) and reports what followed. */
  step(actions: Int32Array): CorridorReport {
    const { agents: n, length, maxSteps, start, decoyReward } = this.options;
    if (actions.length !== n) throw new Error(`SparseCorridor.step: expected ${n} actions, got ${actions.length}`);
    const ended: number[] = [];
    const endObs: number[] = [];
    const endRewards: number[] = [];
    const interrupted: number[] = [];
    for (let i = 0; i < n; i++) {
      const a = actions[i]!;
      if (a === LEFT) this.position[i] = this.position[i]! - 1;
      else if (a === RIGHT) this.position[i] = this.position[i]! + 1;
      else if (a !== STAY) throw new Error(`SparseCorridor.step: action ${a} of agent ${i} is not 0 (stay), 1 (left) or 2 (right)`);
      this.steps[i]!++;
      this.furthest = Math.max(this.furthest, this.position[i]!);
      const atGoal = this.position[i] === length;
      const atDecoy = this.position[i] === 0;
      if (atGoal || atDecoy || this.steps[i]! >= maxSteps) {
        ended.push(i);
        endObs.push(this.position[i]!);
        endRewards.push(atGoal ? 1 : atDecoy ? decoyReward : 0);
        interrupted.push(atGoal || atDecoy ? 0 : 1);
        this.episodes++;
        if (atGoal) this.goals++;
        if (atDecoy) this.decoys++;
        this.position[i] = start;
        this.steps[i] = 0;
      }
    }
    const width = length + 1;
    const terminalObs = new Float32Array(ended.length * width);
    endObs.forEach((cell, r) => (terminalObs[r * width + cell] = 1));
    return {
      terminals: {
        agentKeys: Int32Array.from(ended),
        obs: [terminalObs],
        rewards: Float32Array.from(endRewards),
        groupRewards: new Float32Array(ended.length),
        interrupted: Uint8Array.from(interrupted),
        n: ended.length,
      },
      // Rewards only come with the end of an episode; a fresh episode's first decision has none.
      decisions: { agentKeys: this.keys, obs: [this.cells()], rewards: new Float32Array(n), groupRewards: new Float32Array(n), actionMasks: null, n },
    };
  }

  private cells(): Float32Array {
    const width = this.options.length + 1;
    const obs = new Float32Array(this.options.agents * width);
    for (let i = 0; i < this.options.agents; i++) obs[i * width + this.position[i]!] = 1;
    return obs;
  }
}
