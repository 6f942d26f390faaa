import { observationSize, actionMaskSize, type BehaviorSpec } from '../../bridge/spec/BehaviorSpec.js';
import { TrajectoryBuilder } from './TrajectoryBuilder.js';
import type { Trajectory } from './Trajectory.js';

/** Rows of agents reported together (the EnvManager's AgentBatch has this shape). */
export interface ReportedAgents {
  agentKeys: Int32Array;
  obs: Float32Array[];
  rewards: Float32Array;
  groupRewards: Float32Array;
  n: number;
}

/** What the policy did for a batch of decisions, one row per decision. */
export interface PolicyActions {
  continuousRaw: Float32Array;
  discrete: Int32Array;
  logProbs: Float32Array;
}

/** One finished episode of one agent, for statistics. */
export interface EpisodeSummary {
  agentKey: number;
  /** Sum of individual rewards (ML-Agents' Environment/Cumulative Reward). */
  reward: number;
  /** Sum of group rewards. */
  groupReward: number;
  /** Decisions taken in the episode. */
  length: number;
  interrupted: boolean;
}

export interface AgentProcessorSink {
  onTrajectory(trajectory: Trajectory): void;
  onEpisodeEnd(summary: EpisodeSummary): void;
}

/** An agent's decision that waits for its outcome (the reward and next observation). */
interface PendingDecision {
  obs: Float32Array[];
  mask: Uint8Array | null;
  continuousRaw: Float32Array;
  discrete: Int32Array;
  logProbs: Float32Array | null;
  hasAction: boolean;
}

interface AgentRecord {
  builder: TrajectoryBuilder;
  pending: PendingDecision;
  hasPending: boolean;
  episodeReward: number;
  episodeGroupReward: number;
  episodeLength: number;
}

/**
 * Turns the stream of reports of a behavior into per-agent trajectories, as ML-Agents'
 * AgentProcessor does: the outcome of a decision (reward, done) arrives with the agent's next
 * report, so each step is completed one report later; trajectories are cut at `timeHorizon`
 * (with the next observation kept for bootstrapping) or at the end of an episode.
 */
export class AgentProcessor {
  private readonly agents = new Map<number, AgentRecord>();
  private readonly obsSizes: number[];
  private readonly maskSize: number;

  constructor(
    private readonly spec: BehaviorSpec,
    private readonly timeHorizon: number,
    private readonly sink: AgentProcessorSink,
  ) {
    if (!Number.isInteger(timeHorizon) || timeHorizon < 1) throw new Error(`time_horizon must be an integer >= 1, got ${timeHorizon}`);
    this.obsSizes = spec.observations.map(observationSize);
    this.maskSize = actionMaskSize(spec.actions);
  }

  /** Number of agents with state (for tests and stats). */
  get agentCount(): number {
    return this.agents.size;
  }

  /** Ends episodes: completes each agent's last step with its final reward and emits the trajectory. */
  addTerminals(t: ReportedAgents & { interrupted: Uint8Array }): void {
    for (let i = 0; i < t.n; i++) {
      const key = t.agentKeys[i]!;
      const rec = this.agents.get(key);
      if (!rec) continue; // an agent that ends before its first decision has no experience
      const reward = t.rewards[i]!;
      const groupReward = t.groupRewards[i]!;
      const interrupted = t.interrupted[i] === 1;
      this.completePending(rec, reward, groupReward);
      rec.episodeReward += reward;
      rec.episodeGroupReward += groupReward;
      if (rec.builder.length > 0) {
        this.sink.onTrajectory(rec.builder.take(key, this.row(t.obs, i), true, interrupted));
      }
      this.sink.onEpisodeEnd({
        agentKey: key,
        reward: rec.episodeReward,
        groupReward: rec.episodeGroupReward,
        length: rec.episodeLength,
        interrupted,
      });
      rec.episodeReward = 0;
      rec.episodeGroupReward = 0;
      rec.episodeLength = 0;
      rec.hasPending = false;
    }
  }

  /** Records new decision requests: completes the previous step of each agent and keeps this observation. */
  addDecisions(d: ReportedAgents & { actionMasks: Uint8Array | null }): void {
    for (let i = 0; i < d.n; i++) {
      const key = d.agentKeys[i]!;
      const rec = this.agents.get(key) ?? this.newAgent(key);
      const reward = d.rewards[i]!;
      const groupReward = d.groupRewards[i]!;
      if (rec.hasPending) {
        this.completePending(rec, reward, groupReward);
        rec.episodeReward += reward;
        rec.episodeGroupReward += groupReward;
        if (rec.builder.length >= this.timeHorizon) {
          this.sink.onTrajectory(rec.builder.take(key, this.row(d.obs, i), false, false));
        }
      }
      const p = rec.pending;
      this.obsSizes.forEach((size, k) => p.obs[k]!.set(d.obs[k]!.subarray(i * size, (i + 1) * size)));
      if (p.mask && d.actionMasks) p.mask.set(d.actionMasks.subarray(i * this.maskSize, (i + 1) * this.maskSize));
      else if (p.mask) p.mask.fill(1);
      p.hasAction = false;
      rec.hasPending = true;
      rec.episodeLength++;
    }
  }

  /** Stores what the policy chose for the decisions of the last `addDecisions` call (same rows). */
  addActions(agentKeys: Int32Array, actions: PolicyActions): void {
    const n = agentKeys.length;
    if (n === 0) return;
    const c = this.spec.actions.continuous;
    const b = this.spec.actions.discrete.length;
    const lpWidth = actions.logProbs.length / n;
    for (let i = 0; i < n; i++) {
      const rec = this.agents.get(agentKeys[i]!);
      if (!rec || !rec.hasPending) throw new Error(`AgentProcessor: action for agent ${agentKeys[i]} that has no pending decision`);
      const p = rec.pending;
      if (c > 0) p.continuousRaw.set(actions.continuousRaw.subarray(i * c, (i + 1) * c));
      if (b > 0) p.discrete.set(actions.discrete.subarray(i * b, (i + 1) * b));
      if (!p.logProbs || p.logProbs.length !== lpWidth) p.logProbs = new Float32Array(lpWidth);
      p.logProbs.set(actions.logProbs.subarray(i * lpWidth, (i + 1) * lpWidth));
      p.hasAction = true;
    }
  }

  /** Forgets agents whose game went away: their unfinished steps are discarded, never mixed with others. */
  dropAgents(agentKeys: Int32Array): void {
    for (const key of agentKeys) this.agents.delete(key);
  }

  private completePending(rec: AgentRecord, reward: number, groupReward: number): void {
    const p = rec.pending;
    if (!rec.hasPending || !p.hasAction || !p.logProbs) return;
    rec.builder.push({
      obs: p.obs,
      obsRow: 0,
      mask: p.mask,
      maskRow: 0,
      continuousRaw: p.continuousRaw,
      discrete: p.discrete,
      logProbs: p.logProbs,
      logProbWidth: p.logProbs.length,
      actionRow: 0,
      reward,
      groupReward,
    });
    rec.hasPending = false;
  }

  private newAgent(key: number): AgentRecord {
    const rec: AgentRecord = {
      builder: new TrajectoryBuilder(this.spec, this.timeHorizon),
      pending: {
        obs: this.obsSizes.map((s) => new Float32Array(s)),
        mask: this.maskSize > 0 ? new Uint8Array(this.maskSize) : null,
        continuousRaw: new Float32Array(this.spec.actions.continuous),
        discrete: new Int32Array(this.spec.actions.discrete.length),
        logProbs: null,
        hasAction: false,
      },
      hasPending: false,
      episodeReward: 0,
      episodeGroupReward: 0,
      episodeLength: 0,
    };
    this.agents.set(key, rec);
    return rec;
  }

  private row(obs: Float32Array[], i: number): Float32Array[] {
    return this.obsSizes.map((size, k) => obs[k]!.slice(i * size, (i + 1) * size));
  }
}
