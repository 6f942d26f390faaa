import type { BehaviorSpec } from '../../bridge/spec/BehaviorSpec.js';
import { SeededRandom } from '../../bridge/random/SeededRandom.js';
import type { TrainerSettings } from '../config/schema.js';
import type { BatchActions, BehaviorPolicy, DecisionBatch, TerminalBatch } from '../env/BehaviorPolicy.js';
import { PpoOptimizer, type PpoLearnerState } from '../ppo/PpoOptimizer.js';
import { PpoTrainer, type PpoTrainerState } from '../ppo/PpoTrainer.js';
import { createPpoLearner } from '../ppo/createPpoLearner.js';
import { LearnerThread } from '../ppo/LearnerThread.js';
import type { BackendChoice } from '../backend/selectBackend.js';
import { CheckpointStore, type TrainerCheckpoint } from '../checkpoint/CheckpointStore.js';
import { SummarySchedule } from '../stats/SummarySchedule.js';
import type { StatsReporter } from '../stats/StatsReporter.js';
import { StatTags } from '../stats/StatTags.js';
import type { HierarchicalTimer } from '../stats/HierarchicalTimer.js';
import { diffBehaviorSpecs } from '../env/diffBehaviorSpecs.js';
import { checkTrainerSupport } from './checkTrainerSupport.js';

/** What a behavior's trainer is built from. */
export interface BehaviorTrainerOptions {
  spec: BehaviorSpec;
  settings: TrainerSettings;
  stats: StatsReporter;
  checkpoints: CheckpointStore;
  seed: number;
  /** False with --inference: the policy acts, nothing learns or saves. */
  training: boolean;
  /** Called with files written beside a checkpoint (the ONNX exporter hooks in here). */
  exportPolicy?: (optimizer: PpoOptimizer, step: number, path: string | null) => string[];
  /** Called after every processed trajectory with the step count (the run checks max_steps here). */
  onProgress?: (step: number) => void;
  /** The run's timer (run_logs/timers.json); by default the trainer keeps its own. */
  timer?: HierarchicalTimer;
  /** Backend of the learner thread that `threaded: true` starts (the run's own); default wasm. */
  backend?: BackendChoice;
}

/**
 * One behavior's learner in a run: the PPO trainer and its networks, its summaries and its
 * checkpoints. It is the EnvManager's BehaviorPolicy for that behavior.
 */
export class BehaviorTrainer implements BehaviorPolicy {
  readonly optimizer: PpoOptimizer;
  readonly trainer: PpoTrainer;
  private readonly rng: SeededRandom;
  private summaries: SummarySchedule;
  private nextCheckpoint: number;
  private lastMeanReward: number | null = null;
  private lastSummaryStep = -1;
  /** Where updates run with `threaded: true`. */
  readonly learnerThread: LearnerThread | null = null;

  constructor(private readonly opts: BehaviorTrainerOptions) {
    const { spec, settings } = opts;
    checkTrainerSupport(spec.name, settings);
    const { optimizer, rewardSignals: signals } = createPpoLearner(spec, settings, opts.seed);
    this.optimizer = optimizer;
    this.rng = new SeededRandom(opts.seed ^ 0x5bd1e995);
    this.trainer = new PpoTrainer(spec, settings, this.optimizer, signals, opts.stats, this.rng, opts.training);
    this.summaries = new SummarySchedule(settings.summary_freq);
    this.nextCheckpoint = settings.checkpoint_interval;
    this.trainer.onStep = (step) => this.afterStep(step);
    if (opts.timer) this.trainer.timer = opts.timer;
    if (settings.threaded && opts.training) {
      this.learnerThread = new LearnerThread({
        spec,
        settings,
        seed: opts.seed,
        backend: opts.backend ?? 'wasm',
        optimizer,
        rewardSignals: signals,
        timer: this.trainer.timer,
      });
      this.trainer.remoteUpdates = this.learnerThread;
    }
    opts.stats.addProperty({ type: 'hyperparameters', value: settings as unknown as Record<string, unknown> });
    opts.stats.addProperty({ type: 'max_steps', value: settings.max_steps });
  }

  get spec(): BehaviorSpec {
    return this.opts.spec;
  }

  /** The behavior's stats reporter (custom game stats are added here too). */
  get stats(): StatsReporter {
    return this.opts.stats;
  }

  /** True once max_steps is reached (or at once with --inference). */
  get finished(): boolean {
    return !this.trainer.shouldStillTrain;
  }

  async step(terminals: TerminalBatch, decisions: DecisionBatch): Promise<BatchActions> {
    return this.trainer.step(terminals, decisions);
  }

  dropAgents(agentKeys: Int32Array): void {
    this.trainer.dropAgents(agentKeys);
  }

  /** Restores networks, optimiser, counters and RNG from a checkpoint of this behavior. */
  restore(checkpoint: TrainerCheckpoint, weightsOnly = false): void {
    const diff = diffBehaviorSpecs(checkpoint.spec, this.opts.spec);
    if (diff) {
      throw new Error(
        `the checkpoint of ${this.opts.spec.name} was trained with ${diff.field} = ${JSON.stringify(diff.expected)} but the game now declares ${JSON.stringify(diff.got)}; start a new run (another --run-id) instead of resuming`,
      );
    }
    this.optimizer.setState(checkpoint.learner as PpoLearnerState);
    if (weightsOnly) return;
    const state = checkpoint.trainer as PpoTrainerState;
    this.trainer.setState(state);
    this.rng.setState(checkpoint.rng);
    this.summaries = new SummarySchedule(this.opts.settings.summary_freq, state.step);
    const interval = this.opts.settings.checkpoint_interval;
    this.nextCheckpoint = (Math.floor(state.step / interval) + 1) * interval;
  }

  /** Writes a checkpoint now (numbered by the current step) and returns its path. */
  saveCheckpoint(): string {
    return this.trainer.timer.time('BehaviorTrainer.saveCheckpoint', () => this.saveCheckpointNow());
  }

  private saveCheckpointNow(): string {
    const step = this.trainer.currentStep;
    const learner = this.optimizer.getState();
    // A diverged network would become the latest checkpoint, the one --resume starts from, and
    // would push good ones out of keep_checkpoints; the run stops on this error instead.
    const diverged = nonFiniteVariable(learner);
    if (diverged) {
      throw new Error(
        `${this.opts.spec.name} diverged by step ${step}: network variable '${diverged}' holds NaN or infinite values, ` +
          'so it is not saved. --resume starts from the last checkpoint; lower hyperparameters.learning_rate, ' +
          'or look in the game for rewards or observations of huge magnitude',
      );
    }
    const checkpoint: TrainerCheckpoint = {
      format: 1,
      behavior: this.opts.spec.name,
      spec: this.opts.spec,
      step,
      trainer: this.trainer.getState(),
      learner,
      rng: this.rng.getState(),
      savedAt: new Date().toISOString(),
    };
    const path = this.opts.checkpoints.pathFor(step);
    const extra = this.opts.exportPolicy?.(this.optimizer, step, path) ?? [];
    return this.opts.checkpoints.save(checkpoint, this.lastMeanReward, extra);
  }

  /** Writes the summary of the steps since the last one, whatever the schedule says (at the end of a run). */
  writeSummary(step = this.trainer.currentStep): void {
    if (step === this.lastSummaryStep) return;
    this.lastSummaryStep = step;
    const reward = this.opts.stats.summary(StatTags.cumulativeReward);
    if (reward && reward.count > 0) this.lastMeanReward = reward.mean;
    this.opts.stats.set(StatTags.isTraining, this.trainer.shouldStillTrain ? 1 : 0);
    this.opts.stats.write(step);
  }

  dispose(): void {
    this.trainer.dispose();
    this.optimizer.dispose();
  }

  private afterStep(step: number): void {
    this.opts.stats.progress(step);
    const label = this.summaries.reached(step);
    if (label !== null) this.writeSummary(label);
    if (this.opts.training && step >= this.nextCheckpoint) {
      const interval = this.opts.settings.checkpoint_interval;
      this.nextCheckpoint = (Math.floor(step / interval) + 1) * interval;
      this.saveCheckpoint();
    }
    this.opts.onProgress?.(step);
  }
}

/** Name of the first network variable of `learner` that holds NaN or an infinity, or null. */
function nonFiniteVariable(learner: PpoLearnerState): string | null {
  const { meta, weights } = learner.networks;
  const i = weights.findIndex((w) => !w.every(Number.isFinite));
  return i < 0 ? null : meta.variables[i]!.name;
}
