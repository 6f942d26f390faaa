import type { AIController } from '../agent/AIController.js';
import type { DecisionSet, TerminalSet } from '../protocol/messages.js';
import { actionMaskSize, observationSize, type BehaviorSpec } from '../spec/BehaviorSpec.js';

/**
 * Preallocated rows of one behavior's agents for one step (the decisions or the terminals), so
 * that collecting a step allocates no arrays: capacity is the behavior's agent count and every
 * step refills the same buffers from row 0.
 */
export class AgentSetBuffer {
  readonly agentIds: Int32Array;
  readonly obs: Float32Array[];
  readonly rewards: Float32Array;
  readonly groupIds: Int32Array;
  readonly groupRewards: Float32Array;
  readonly teamIds: Int32Array;
  /** Decision rows only, and only with discrete branches. */
  readonly actionMasks: Uint8Array | null;
  /** Terminal rows only. */
  readonly interrupted: Uint8Array | null;
  /** The agent of each row. */
  readonly agents: AIController[] = [];
  count = 0;
  private readonly obsSizes: number[];
  private readonly maskWidth: number;

  constructor(
    readonly spec: BehaviorSpec,
    readonly capacity: number,
    readonly kind: 'decisions' | 'terminals',
  ) {
    this.obsSizes = spec.observations.map(observationSize);
    this.obs = this.obsSizes.map((size) => new Float32Array(size * capacity));
    this.agentIds = new Int32Array(capacity);
    this.rewards = new Float32Array(capacity);
    this.groupIds = new Int32Array(capacity);
    this.groupRewards = new Float32Array(capacity);
    this.teamIds = new Int32Array(capacity);
    this.maskWidth = actionMaskSize(spec.actions);
    this.actionMasks = kind === 'decisions' && this.maskWidth > 0 ? new Uint8Array(this.maskWidth * capacity) : null;
    this.interrupted = kind === 'terminals' ? new Uint8Array(capacity) : null;
  }

  /** Empties the set for the next step. */
  clear(): void {
    this.count = 0;
    this.agents.length = 0;
  }

  /** Appends an agent's row: its observations (one buffer per spec observation) and rewards since its last report. */
  add(agent: AIController, obs: readonly Float32Array[], mask: Uint8Array | null, interrupted: boolean): void {
    const row = this.count;
    if (row >= this.capacity) throw new Error(`AgentSetBuffer '${this.spec.name}': more than ${this.capacity} rows in one step`);
    for (let k = 0; k < this.obsSizes.length; k++) this.obs[k]!.set(obs[k]!, row * this.obsSizes[k]!);
    this.agentIds[row] = agent._agentId;
    this.rewards[row] = agent._reward;
    this.groupIds[row] = agent._group?.groupId ?? 0;
    this.groupRewards[row] = agent._groupReward;
    this.teamIds[row] = agent.teamId;
    if (this.actionMasks && mask) this.actionMasks.set(mask, row * this.maskWidth);
    if (this.interrupted) this.interrupted[row] = interrupted ? 1 : 0;
    this.agents[row] = agent;
    this.count = row + 1;
  }

  /** The filled rows' observations (views, valid until the next step). */
  obsViews(): Float32Array[] {
    return this.obs.map((a, k) => a.subarray(0, this.count * this.obsSizes[k]!));
  }

  /** The filled rows' masks, or null without discrete branches. */
  maskView(): Uint8Array | null {
    return this.actionMasks ? this.actionMasks.subarray(0, this.count * this.maskWidth) : null;
  }

  /** The rows as a protocol decision set (views, valid until the next step). */
  toDecisionSet(): DecisionSet {
    const set: DecisionSet = { ...this.common() };
    const masks = this.maskView();
    if (masks) set.actionMasks = masks;
    return set;
  }

  /** The rows as a protocol terminal set (views, valid until the next step). */
  toTerminalSet(): TerminalSet {
    return { ...this.common(), interrupted: (this.interrupted ?? new Uint8Array(this.capacity)).subarray(0, this.count) };
  }

  private common() {
    const n = this.count;
    return {
      agentIds: this.agentIds.subarray(0, n),
      obs: this.obsViews(),
      rewards: this.rewards.subarray(0, n),
      groupIds: this.groupIds.subarray(0, n),
      groupRewards: this.groupRewards.subarray(0, n),
      teamIds: this.teamIds.subarray(0, n),
    };
  }
}
