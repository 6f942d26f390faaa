/**
 * A random BehaviorPolicy that rebuilds every agent's episodes from what the trainer receives:
 * reward = sum of the rewards of the agent's reports in the episode, length = its decisions.
 * Tests compare these with the game's own episode log.
 */
import { SeededRandom } from '../../bridge/random/SeededRandom.js';
import type { BehaviorSpec } from '../../bridge/spec/BehaviorSpec.js';
import type { BatchActions, BehaviorPolicy, DecisionBatch, TerminalBatch } from '../../trainer/env/BehaviorPolicy.js';

export interface ReceivedEpisode {
  reward: number;
  decisions: number;
  interrupted: boolean;
}

interface OpenEpisode {
  reward: number;
  decisions: number;
}

export class EpisodeRecordingPolicy implements BehaviorPolicy {
  /** Finished episodes per agent key, in order. */
  readonly episodes = new Map<number, ReceivedEpisode[]>();
  /** Keys handed to dropAgents, and how many unfinished episodes were discarded with them. */
  readonly dropped: number[] = [];
  discardedOpenEpisodes = 0;
  /** Rows received for a key after it was dropped (must stay 0). */
  rowsAfterDrop = 0;
  decisionsSeen = 0;
  private readonly open = new Map<number, OpenEpisode>();
  private readonly rng: SeededRandom;

  constructor(
    readonly spec: BehaviorSpec,
    seed: number,
    private readonly onStep?: (decisions: DecisionBatch) => void,
  ) {
    this.rng = new SeededRandom(seed);
  }

  async step(terminals: TerminalBatch, decisions: DecisionBatch): Promise<BatchActions> {
    for (let i = 0; i < terminals.n; i++) {
      const key = terminals.agentKeys[i]!;
      this.checkNotDropped(key);
      const ep = this.open.get(key);
      if (!ep) throw new Error(`terminal for agent key ${key} without an open episode`);
      this.open.delete(key);
      const list = this.episodes.get(key) ?? [];
      list.push({ reward: ep.reward + terminals.rewards[i]!, decisions: ep.decisions, interrupted: terminals.interrupted[i] === 1 });
      this.episodes.set(key, list);
    }
    for (let i = 0; i < decisions.n; i++) {
      const key = decisions.agentKeys[i]!;
      this.checkNotDropped(key);
      let ep = this.open.get(key);
      if (!ep) this.open.set(key, (ep = { reward: 0, decisions: 0 }));
      ep.reward += decisions.rewards[i]!;
      ep.decisions++;
    }
    this.decisionsSeen += decisions.n;
    this.onStep?.(decisions);
    const C = this.spec.actions.continuous;
    const branches = this.spec.actions.discrete;
    const continuous = new Float32Array(decisions.n * C);
    const discrete = new Int32Array(decisions.n * branches.length);
    for (let i = 0; i < continuous.length; i++) continuous[i] = this.rng.range(-1, 1);
    for (let row = 0, at = 0; row < decisions.n; row++) {
      branches.forEach((size, b) => (discrete[at + b] = this.rng.int(size)));
      at += branches.length;
    }
    return { continuous, discrete };
  }

  dropAgents(agentKeys: Int32Array): void {
    for (const key of agentKeys) {
      this.dropped.push(key);
      if (this.open.delete(key)) this.discardedOpenEpisodes++;
    }
  }

  private checkNotDropped(key: number): void {
    if (this.dropped.includes(key)) this.rowsAfterDrop++;
  }
}
