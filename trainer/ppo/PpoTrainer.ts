import { actionMaskSize, observationSize, type BehaviorSpec } from '../../bridge/spec/BehaviorSpec.js';
import type { SeededRandom } from '../../bridge/random/SeededRandom.js';
import { AgentProcessor, type EpisodeSummary } from '../trajectory/AgentProcessor.js';
import type { Trajectory } from '../trajectory/Trajectory.js';
import { generalizedAdvantages } from '../trajectory/Gae.js';
import { UpdateBuffer } from '../trajectory/UpdateBuffer.js';
import type { RewardSignal, RewardSignalState } from '../rewards/RewardSignal.js';
import { signalTitle } from '../rewards/RewardSignal.js';
import { signalColumns } from '../rewards/SignalColumns.js';
import { scheduledValue, SCHEDULE_MINIMUM, type ScheduleType } from './Schedule.js';
import { HierarchicalTimer } from '../stats/HierarchicalTimer.js';
import type { PpoLearner } from './PpoLearner.js';

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
   * ML-Agents' `threaded`: the update runs a minibatch at a time between the games' steps, so the
   * games keep playing (with the policy as it is being updated) instead of waiting for it. Faster
   * when the games run on other cores; results then depend on timing, so runs are not repeatable.
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
  private buffer = new UpdateBuffer();
  /** The threaded update in progress, if any. */
  private updating: Promise<void> | null = null;
  private readonly signalNames: string[];
  private stepCount = 0;
  private updateCount = 0;
  private readonly obsSizes: number[];
  /** Per agent, the running episode sum of each non-extrinsic signal's rewards (for 'Policy/<Signal> Reward'). */
  private readonly episodeSignalRewards = new Map<number, Record<string, number>>();
  /** Called after each processed trajectory with the new step count (summaries, checkpoints). */
  onStep: (step: number) => void = () => {};
  /** Called after each policy update. */
  onUpdate: (step: number) => void = () => {};
  /** Where acting, trajectories and updates are timed (a run shares one for run_logs/timers.json). */
  timer = new HierarchicalTimer();

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
    this.obsSizes = spec.observations.map(observationSize);
    this.signalNames = rewardSignals.map((s) => s.name);
    this.processor = new AgentProcessor(spec, settings.time_horizon, {
      onTrajectory: (t) => this.processTrajectory(t),
      onEpisodeEnd: (e) => this.recordEpisode(e),
    });
    spec.observations.forEach((o, k) => this.buffer.define(`obs${k}`, Float32Array, observationSize(o)));
    this.buffer.define('continuousRaw', Float32Array, spec.actions.continuous);
    this.buffer.define('discrete', Int32Array, spec.actions.discrete.length);
    this.buffer.define('actionMasks', Uint8Array, actionMaskSize(spec.actions));
    // One log prob per continuous dimension and per discrete branch, as ML-Agents flattens them.
    this.buffer.define('oldLogProbs', Float32Array, spec.actions.continuous + spec.actions.discrete.length);
    this.buffer.define('advantages', Float32Array, 1);
    for (const name of this.signalNames) {
      this.buffer.define(`returns.${name}`, Float32Array, 1);
      this.buffer.define(`values.${name}`, Float32Array, 1);
    }
    const own = [
      ...spec.observations.map((_, k) => `obs${k}`),
      ...['continuousRaw', 'discrete', 'actionMasks', 'oldLogProbs', 'advantages'],
      ...this.signalNames.flatMap((name) => [`returns.${name}`, `values.${name}`]),
    ];
    for (const c of signalColumns(rewardSignals, own)) this.buffer.define(c.name, c.ctor, c.width);
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
    return this.timer.time('PpoTrainer.step', () => this.stepNow(terminals, decisions));
  }

  private stepNow(
    terminals: Parameters<PpoTrainer['step']>[0],
    decisions: Parameters<PpoTrainer['step']>[1],
  ): { continuous: Float32Array; discrete: Int32Array } {
    this.timer.time('AgentProcessor.add', () => {
      if (terminals.n > 0) this.processor.addTerminals(terminals);
      if (decisions.n > 0) this.processor.addDecisions(decisions);
    });
    // As ML-Agents' _is_ready_update: strictly more than buffer_size experiences.
    if (this.shouldStillTrain && !this.updating && this.buffer.length > this.settings.hyperparameters.buffer_size) {
      const full = this.buffer;
      if (this.settings.threaded) {
        this.buffer = full.emptyCopy();
        this.updating = this.updateInSlices(full).finally(() => (this.updating = null));
      } else {
        this.timer.time('PpoTrainer.updatePolicy', () => {
          for (const _ of this.updateSteps(full));
        });
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

  /** Frees the reward signals' networks. */
  dispose(): void {
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

  /** Resolves once no update is running (at once unless a threaded update is in progress). */
  async idle(): Promise<void> {
    while (this.updating) await this.updating;
  }

  /** A threaded update: one minibatch, then the event loop (games' steps, acting), and so on. */
  private async updateInSlices(buffer: UpdateBuffer): Promise<void> {
    const slices = this.updateSteps(buffer);
    while (!this.timer.time('PpoTrainer.updatePolicy', () => slices.next()).done) {
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
  }

  /**
   * ML-Agents' _update_policy on `buffer`, yielding after each minibatch: advantages normalised
   * over the buffer, then `num_epoch` shuffled passes of every full minibatch in it (ML-Agents
   * uses the whole buffer, which may hold more than buffer_size), each followed by the learning
   * reward signals' updates on the same minibatch.
   */
  private *updateSteps(buffer: UpdateBuffer): Generator<void> {
    const hp = this.settings.hyperparameters;
    const current = this.currentHyperparameters();
    buffer.normalizeColumn('advantages');
    const batchSize = Math.min(hp.batch_size, buffer.length);
    const numBatches = Math.floor(buffer.length / batchSize);
    const sums: Record<string, number> = {};
    let count = 0;
    for (let epoch = 0; epoch < hp.num_epoch; epoch++) {
      buffer.shuffle(this.rng);
      for (let b = 0; b < numBatches; b++) {
        const cols = buffer.slice(b * batchSize, (b + 1) * batchSize);
        const returns: Record<string, Float32Array> = {};
        const oldValues: Record<string, Float32Array> = {};
        for (const name of this.signalNames) {
          returns[name] = cols[`returns.${name}`] as Float32Array;
          oldValues[name] = cols[`values.${name}`] as Float32Array;
        }
        const stats = this.timer.time('PpoOptimizer.update', () => this.learner.update(
          {
            n: batchSize,
            obs: this.obsSizes.map((_, k) => cols[`obs${k}`] as Float32Array),
            continuousRaw: cols.continuousRaw as Float32Array,
            discrete: cols.discrete as Int32Array,
            actionMasks: this.spec.actions.discrete.length > 0 ? (cols.actionMasks as Uint8Array) : null,
            oldLogProbs: cols.oldLogProbs as Float32Array,
            advantages: cols.advantages as Float32Array,
            returns,
            oldValues,
          },
          current,
        ));
        for (const [k, v] of Object.entries(stats)) sums[k] = (sums[k] ?? 0) + v;
        // ML-Agents' update_reward_signals: each learning signal trains on the same minibatch.
        for (const signal of this.rewardSignals) {
          if (!signal.update) continue;
          const signalStats = this.timer.time(`RewardSignal.${signal.name}.update`, () => signal.update!(cols, batchSize));
          for (const [k, v] of Object.entries(signalStats)) sums[k] = (sums[k] ?? 0) + v;
        }
        count++;
        yield;
      }
    }
    for (const [k, v] of Object.entries(sums)) this.stats.add(k, v / count);
    this.stats.add('Policy/Learning Rate', current.learningRate);
    this.stats.add('Policy/Beta', current.beta);
    this.stats.add('Policy/Epsilon', current.epsilon);
    buffer.clear();
    this.updateCount++;
    this.onUpdate(this.stepCount);
  }
}
