import type { BehaviorSpec } from '../../bridge/spec/BehaviorSpec.js';
import type { SeededRandom } from '../../bridge/random/SeededRandom.js';
import { AgentProcessor, type EpisodeSummary } from '../trajectory/AgentProcessor.js';
import type { Trajectory } from '../trajectory/Trajectory.js';
import { generalizedAdvantages } from '../trajectory/Gae.js';
import type { UpdateBuffer } from '../trajectory/UpdateBuffer.js';
import type { RewardSignal, RewardSignalState } from '../rewards/RewardSignal.js';
import { signalTitle } from '../rewards/RewardSignal.js';
import { scheduledValue, SCHEDULE_MINIMUM, type ScheduleType } from './Schedule.js';
import { HierarchicalTimer } from '../stats/HierarchicalTimer.js';
import type { RemotePolicyUpdates } from './LearnerThread.js';
import { createPolicyUpdateBuffer, policyUpdateSteps } from './PolicyUpdate.js';
import type { PpoLearner, PpoStepHyperparameters } from './PpoLearner.js';

export type { PpoLearner } from './PpoLearner.js';

/** Where the trainer reports numbers (a StatsReporter per behavior). */
export interface StatsSink {
  add(key: string, value: number): void;
}

/** The PPO settings the trainer reads (ML-Agents' names). */
export interface PpoTrainerSettings {
  max_steps: number;
  time_horizon: number;
  hyperparameters: {
    batch_size: number;
    buffer_size: number;
    learning_rate: number;
    beta: number;
    epsilon: number;
    lambd: number;
    num_epoch: number;
    learning_rate_schedule: ScheduleType;
    beta_schedule: ScheduleType;
    epsilon_schedule: ScheduleType;
  };
  network_settings: { normalize: boolean };
  /**
   * ML-Agents' `threaded`: updates run on a learner thread (`remoteUpdates`) while the games keep
   * playing with the policy of the previous update, instead of waiting for it. Faster when there
   * are cores for both; results then depend on timing, so runs are not repeatable.
   */
  threaded?: boolean;
}

/** Counters that make a trainer resumable. */
export interface PpoTrainerState {
  step: number;
  updates: number;
  /** Networks and optimisers of the learning reward signals (curiosity, RND), by signal name. */
  signals?: Record<string, RewardSignalState>;
}

/**
 * PPO for one behavior, as ML-Agents' PPOTrainer: trajectories from the AgentProcessor get
 * value estimates, per-signal rewards, GAE and returns, and go into the update buffer; once it
 * holds `buffer_size` steps, `num_epoch` passes of minibatches update the networks and the
 * buffer is cleared. Acting happens in between, for every batch of decisions.
 */
export class PpoTrainer {
  private readonly processor: AgentProcessor;
  private buffer: UpdateBuffer;
  /** The threaded update in progress, if any. */
  private updating: Promise<void> | null = null;
  private readonly signalNames: string[];
  private stepCount = 0;
  private updateCount = 0;
  /** Per agent, the running episode sum of each non-extrinsic signal's rewards (for 'Policy/<Signal> Reward'). */
  private readonly episodeSignalRewards = new Map<number, Record<string, number>>();
  /** Called after each processed trajectory with the new step count (summaries, checkpoints). */
  onStep: (step: number) => void = () => {};
  /** Called after each policy update. */
  onUpdate: (step: number) => void = () => {};
  /** Where acting, trajectories and updates are timed (a run shares one for run_logs/timers.json). */
  timer = new HierarchicalTimer();
  /** Where `threaded: true` updates run (BehaviorTrainer gives it a LearnerThread); without it they run here. */
  remoteUpdates: RemotePolicyUpdates | null = null;
  private failure: Error | null = null;

  constructor(
    readonly spec: BehaviorSpec,
    readonly settings: PpoTrainerSettings,
    private readonly learner: PpoLearner,
    private readonly rewardSignals: readonly RewardSignal[],
    private readonly stats: StatsSink,
    private readonly rng: SeededRandom,
    /** False in --inference runs: act, never learn. */
    readonly training = true,
  ) {
    this.signalNames = rewardSignals.map((s) => s.name);
    this.processor = new AgentProcessor(spec, settings.time_horizon, {
      onTrajectory: (t) => this.processTrajectory(t),
      onEpisodeEnd: (e) => this.recordEpisode(e),
    });
    this.buffer = createPolicyUpdateBuffer(spec, rewardSignals);
  }

  /** Agent steps processed so far (ML-Agents' step count). */
  get currentStep(): number {
    return this.stepCount;
  }

  get updates(): number {
    return this.updateCount;
  }

  /** True while the step count is below max_steps. */
  get shouldStillTrain(): boolean {
    return this.training && this.stepCount < this.settings.max_steps;
  }

  /** Current values of the scheduled hyperparameters. */
  currentHyperparameters(): { learningRate: number; beta: number; epsilon: number } {
    const hp = this.settings.hyperparameters;
    const max = this.settings.max_steps;
    return {
      learningRate: scheduledValue(hp.learning_rate_schedule, hp.learning_rate, SCHEDULE_MINIMUM.learningRate, max, this.stepCount),
      beta: scheduledValue(hp.beta_schedule, hp.beta, SCHEDULE_MINIMUM.beta, max, this.stepCount),
      epsilon: scheduledValue(hp.epsilon_schedule, hp.epsilon, SCHEDULE_MINIMUM.epsilon, max, this.stepCount),
    };
  }

  /** The EnvManager's call: take in what the games reported, learn when due, act. */
  async step(
    terminals: { agentKeys: Int32Array; obs: Float32Array[]; rewards: Float32Array; groupRewards: Float32Array; interrupted: Uint8Array; n: number },
    decisions: { agentKeys: Int32Array; obs: Float32Array[]; rewards: Float32Array; groupRewards: Float32Array; actionMasks: Uint8Array | null; n: number },
  ): Promise<{ continuous: Float32Array; discrete: Int32Array }> {
    if (this.updating && this.shouldStillTrain && this.buffer.length > this.settings.hyperparameters.buffer_size) {
      // The next update is due before the learner thread finished this one: the games wait, so
      // that they never play more than one buffer ahead of the policy (with fast games every
      // update would otherwise train on an ever larger, ever staler buffer, and updates would be rare).
      const t0 = performance.now();
      await this.idle();
      this.timer.record('PpoTrainer.waitForLearner', (performance.now() - t0) / 1000);
    }
    return this.timer.time('PpoTrainer.step', () => this.stepNow(terminals, decisions));
  }

  private stepNow(
    terminals: Parameters<PpoTrainer['step']>[0],
    decisions: Parameters<PpoTrainer['step']>[1],
  ): { continuous: Float32Array; discrete: Int32Array } {
    // A failed threaded update ends the run here, where the run's error handling sees it.
    if (this.failure) throw this.failure;
    this.timer.time('AgentProcessor.add', () => {
      if (terminals.n > 0) this.processor.addTerminals(terminals);
      if (decisions.n > 0) this.processor.addDecisions(decisions);
    });
    // As ML-Agents' _is_ready_update: strictly more than buffer_size experiences.
    if (this.shouldStillTrain && !this.updating && this.buffer.length > this.settings.hyperparameters.buffer_size) {
      const full = this.buffer;
      if (this.settings.threaded && this.remoteUpdates) {
        this.buffer = full.emptyCopy();
        this.updating = this.updateRemotely(this.remoteUpdates, full).finally(() => (this.updating = null));
      } else {
        this.timer.time('PpoTrainer.updatePolicy', () => this.updateHere(full));
      }
    }
    if (decisions.n === 0) {
      return { continuous: new Float32Array(0), discrete: new Int32Array(0) };
    }
    const out = this.timer.time('PpoOptimizer.act', () => this.learner.act(decisions.obs, decisions.actionMasks, decisions.n));
    this.processor.addActions(decisions.agentKeys, out);
    let entropy = 0;
    for (let i = 0; i < out.entropy.length; i++) entropy += out.entropy[i]!;
    this.stats.add('Policy/Entropy', entropy / Math.max(1, out.entropy.length));
    return { continuous: out.continuousClipped, discrete: out.discrete };
  }

  /** A game went away: its agents' unfinished steps are discarded. */
  dropAgents(agentKeys: Int32Array): void {
    this.processor.dropAgents(agentKeys);
    for (const key of agentKeys) this.episodeSignalRewards.delete(key);
  }

  getState(): PpoTrainerState {
    const state: PpoTrainerState = { step: this.stepCount, updates: this.updateCount };
    for (const signal of this.rewardSignals) {
      if (signal.getState) (state.signals ??= {})[signal.name] = signal.getState();
    }
    return state;
  }

  setState(state: PpoTrainerState): void {
    for (const signal of this.rewardSignals) {
      if (!signal.setState) continue;
      const saved = state.signals?.[signal.name];
      if (!saved) {
        throw new Error(
          `trainer.signals.${signal.name}: the checkpoint holds no state for reward signal '${signal.name}' (it was saved without that signal); start a new run (another --run-id) or remove '${signal.name}' from reward_signals`,
        );
      }
      signal.setState(saved, `trainer.signals.${signal.name}`);
    }
    this.stepCount = state.step;
    this.updateCount = state.updates;
  }

  /** Frees the reward signals' networks and stops the learner thread. */
  dispose(): void {
    void this.remoteUpdates?.close();
    for (const signal of this.rewardSignals) signal.dispose?.();
  }

  private processTrajectory(t: Trajectory): void {
    this.timer.time('PpoTrainer.processTrajectory', () => this.processTrajectoryNow(t));
    // Outside the block: summaries and checkpoints are timed on their own.
    this.onStep(this.stepCount);
  }

  private processTrajectoryNow(t: Trajectory): void {
    if (!this.training) {
      // --inference learns nothing, but its steps still drive the summaries ("Not Training." lines, as ML-Agents prints).
      this.stepCount += t.length;
      return;
    }
    if (this.settings.network_settings.normalize) this.learner.updateNormalizer(t.obs, t.length);
    const { values, next } = this.timer.time('PpoOptimizer.values', () => ({
      values: this.learner.values(t.obs, t.length),
      next: this.learner.values(t.nextObs, 1),
    }));
    // A real end has no future; an interrupted one (max step) is bootstrapped from the value of the last observation.
    const terminal = t.doneReached && !t.interrupted;
    const advantages = new Float32Array(t.length);
    const columns: Record<string, Float32Array | Int32Array | Uint8Array> = {};
    for (const signal of this.rewardSignals) {
      const v = values[signal.name];
      if (!v) throw new Error(`learner has no value head for reward signal '${signal.name}'`);
      const rewards = this.timer.time(`RewardSignal.${signal.name}.evaluate`, () => signal.evaluate(t));
      // Intrinsic signals (ignoreDone) bootstrap even at a true end, as ML-Agents' ignore_done.
      const valueNext = terminal && !signal.ignoreDone ? 0 : next[signal.name]![0]!;
      const adv = generalizedAdvantages(rewards, v, valueNext, signal.gamma, this.settings.hyperparameters.lambd);
      const returns = new Float32Array(t.length);
      for (let i = 0; i < t.length; i++) {
        returns[i] = adv[i]! + v[i]!;
        advantages[i]! += adv[i]!;
      }
      columns[`returns.${signal.name}`] = returns;
      columns[`values.${signal.name}`] = v;
      if (signal.name !== 'extrinsic') this.addEpisodeSignalReward(t.agentKey, signal.name, rewards);
      if (signal.columnsFor) Object.assign(columns, signal.columnsFor(t));
      let mean = 0;
      for (let i = 0; i < t.length; i++) mean += v[i]!;
      this.stats.add(`Policy/${signalTitle(signal.name)} Value Estimate`, mean / t.length);
    }
    t.obs.forEach((col, k) => (columns[`obs${k}`] = col));
    columns.continuousRaw = t.continuousRaw;
    columns.discrete = t.discrete;
    columns.actionMasks = t.actionMasks ?? new Uint8Array(0);
    columns.oldLogProbs = t.logProbs;
    columns.advantages = advantages;
    this.buffer.append(t.length, columns);
    this.stepCount += t.length;
  }

  private recordEpisode(e: EpisodeSummary): void {
    this.stats.add('Environment/Cumulative Reward', e.reward);
    this.stats.add('Environment/Episode Length', e.length);
    if (e.groupReward !== 0) this.stats.add('Environment/Group Cumulative Reward', e.groupReward);
    // The extrinsic signal's episode total, scaled by its strength, as ML-Agents reports it.
    const extrinsic = this.rewardSignals.find((s) => s.name === 'extrinsic');
    if (extrinsic) this.stats.add('Policy/Extrinsic Reward', (e.reward + e.groupReward) * extrinsic.strength);
    // The other signals' totals are sums of what evaluate() gave over the episode's trajectories.
    const sums = this.episodeSignalRewards.get(e.agentKey);
    this.episodeSignalRewards.delete(e.agentKey);
    if (!this.training) return;
    for (const signal of this.rewardSignals) {
      if (signal.name !== 'extrinsic') this.stats.add(`Policy/${signalTitle(signal.name)} Reward`, sums?.[signal.name] ?? 0);
    }
  }

  private addEpisodeSignalReward(agentKey: number, name: string, rewards: Float32Array): void {
    let sums = this.episodeSignalRewards.get(agentKey);
    if (!sums) this.episodeSignalRewards.set(agentKey, (sums = {}));
    let total = sums[name] ?? 0;
    for (let i = 0; i < rewards.length; i++) total += rewards[i]!;
    sums[name] = total;
  }

  /** Resolves once no update is running (at once unless a threaded update is in progress); throws if it failed. */
  async idle(): Promise<void> {
    const failure = await this.settled();
    if (failure) throw failure;
  }

  /**
   * Resolves once no update is running, with the error of the threaded update that failed, if
   * one did. The weights are then those of the last update that succeeded: a failed update never
   * reaches them.
   */
  async settled(): Promise<Error | null> {
    while (this.updating) await this.updating;
    return this.failure;
  }

  /** A threaded update: on the learner thread while the games keep playing. */
  private async updateRemotely(remote: RemotePolicyUpdates, buffer: UpdateBuffer): Promise<void> {
    const current = this.currentHyperparameters();
    try {
      const stats = await remote.update(buffer, current, this.rng.int(0x7fffffff));
      this.finishUpdate(stats, current);
    } catch (err) {
      this.failure ??= err instanceof Error ? err : new Error(String(err));
    }
  }

  /** An update on this thread, all minibatches at once (the games wait, as in ML-Agents). */
  private updateHere(buffer: UpdateBuffer): void {
    const hp = this.settings.hyperparameters;
    const current = this.currentHyperparameters();
    const steps = policyUpdateSteps(
      buffer,
      { spec: this.spec, learner: this.learner, rewardSignals: this.rewardSignals, batchSize: hp.batch_size, numEpoch: hp.num_epoch, timer: this.timer },
      current,
      this.rng,
    );
    let result = steps.next();
    while (!result.done) result = steps.next();
    buffer.clear();
    this.finishUpdate(result.value, current);
  }

  private finishUpdate(stats: Record<string, number>, current: PpoStepHyperparameters): void {
    for (const [k, v] of Object.entries(stats)) this.stats.add(k, v);
    this.stats.add('Policy/Learning Rate', current.learningRate);
    this.stats.add('Policy/Beta', current.beta);
    this.stats.add('Policy/Epsilon', current.epsilon);
    this.updateCount++;
    this.onUpdate(this.stepCount);
  }
}
