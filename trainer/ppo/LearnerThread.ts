import { Worker } from 'node:worker_threads';
import type { BehaviorSpec } from '../../bridge/spec/BehaviorSpec.js';
import type { BackendChoice } from '../backend/selectBackend.js';
import type { TrainerSettings } from '../config/schema.js';
import type { RewardSignal, RewardSignalState } from '../rewards/RewardSignal.js';
import type { HierarchicalTimer } from '../stats/HierarchicalTimer.js';
import type { UpdateBuffer } from '../trajectory/UpdateBuffer.js';
import type { LearnerUpdateReply, LearnerUpdateRequest } from './LearnerThreadMessages.js';
import type { PpoStepHyperparameters } from './PpoLearner.js';
import type { PpoOptimizer } from './PpoOptimizer.js';

/** Policy updates that run away from the trainer's thread and come back as new weights. */
export interface RemotePolicyUpdates {
  /** Runs one update on `buffer`; resolves with its mean loss stats once the trainer's networks hold the result. */
  update(buffer: UpdateBuffer, current: PpoStepHyperparameters, shuffleSeed: number): Promise<Record<string, number>>;
  /** Stops the thread. */
  close(): Promise<void>;
}

/** What a LearnerThread serves: the trainer's own networks, which it keeps up to date. */
export interface LearnerThreadOptions {
  spec: BehaviorSpec;
  settings: TrainerSettings;
  seed: number;
  backend: BackendChoice;
  optimizer: PpoOptimizer;
  rewardSignals: readonly RewardSignal[];
  timer?: HierarchicalTimer;
}

/**
 * ML-Agents' `threaded: true` on a real thread: the policy update runs on a worker thread with its
 * own copy of the networks while the trainer keeps acting and the games keep playing. Each
 * request carries the trainer's whole state (weights, Adam moments, normalisers) and the update
 * buffer; the reply's weights and moments replace the trainer's. The trainer's normalisers and
 * action sampler moved on while the thread worked (the games kept playing), so those stay as
 * they are. Because the games play on, a buffer is mostly collected by the policy of the update
 * before the one it is sent with: the thread clips around the policy it starts from (the
 * `staleBuffer` update of PolicyUpdate) instead of around that older one.
 */
export class LearnerThread implements RemotePolicyUpdates {
  private readonly worker: Worker;
  private nextId = 1;
  private pending: { id: number; resolve: (r: LearnerUpdateReply) => void; reject: (e: Error) => void } | null = null;
  private failure: Error | null = null;
  /** Seconds the thread spent updating, summed over updates. */
  updateSeconds = 0;

  constructor(private readonly opts: LearnerThreadOptions) {
    this.worker = new Worker(new URL('./learnerThreadEntry.mjs', import.meta.url));
    // Between updates the thread must not keep a finished run's process alive; during one it must
    // (a run that only awaits the last update would otherwise exit before the reply).
    this.worker.unref();
    this.worker.on('message', (reply: LearnerUpdateReply) => {
      const p = this.pending;
      if (!p || reply?.id !== p.id) return;
      this.pending = null;
      p.resolve(reply);
    });
    const fail = (err: Error) => {
      this.failure ??= err;
      const p = this.pending;
      this.pending = null;
      p?.reject(err);
    };
    this.worker.on('error', (err) => fail(new Error(`learner thread of ${opts.spec.name} crashed: ${err.message}`, { cause: err })));
    this.worker.on('exit', (code) => fail(new Error(`learner thread of ${opts.spec.name} exited (code ${code})`)));
  }

  async update(buffer: UpdateBuffer, current: PpoStepHyperparameters, shuffleSeed: number): Promise<Record<string, number>> {
    if (this.failure) throw this.failure;
    if (this.pending) throw new Error('LearnerThread.update: the previous update has not finished; await it first');
    const { opts } = this;
    const time = <T>(name: string, fn: () => T): T => (opts.timer ? opts.timer.time(name, fn) : fn());
    const request = time('LearnerThread.send', (): LearnerUpdateRequest => {
      const signals: Record<string, RewardSignalState> = {};
      for (const s of opts.rewardSignals) if (s.getState) signals[s.name] = s.getState();
      return {
        type: 'update',
        id: this.nextId++,
        build: { spec: opts.spec, settings: opts.settings, seed: opts.seed, backend: opts.backend },
        learner: opts.optimizer.getState(),
        signals,
        buffer: buffer.toTransfer(),
        current,
        shuffleSeed,
      };
    });
    this.worker.ref();
    let reply: LearnerUpdateReply;
    try {
      reply = await new Promise<LearnerUpdateReply>((resolve, reject) => {
        this.pending = { id: request.id, resolve, reject };
        this.worker.postMessage(request, request.buffer.columns.map((c) => c.data.buffer as ArrayBuffer));
      });
    } finally {
      this.worker.unref();
    }
    if (reply.type === 'failed') {
      this.failure = new Error(`learner thread of ${opts.spec.name}: ${reply.message}`);
      throw this.failure;
    }
    this.updateSeconds += reply.seconds;
    time('LearnerThread.apply', () => this.apply(reply));
    return reply.stats;
  }

  async close(): Promise<void> {
    this.failure ??= new Error('the learner thread was closed');
    await this.worker.terminate();
  }

  private apply(reply: Extract<LearnerUpdateReply, { type: 'updated' }>): void {
    const { optimizer, rewardSignals } = this.opts;
    optimizer.setState(reply.learner, 'learned');
    for (const signal of rewardSignals) {
      const updated = reply.signals[signal.name];
      if (signal.setState && updated) signal.setState(updated, `learner thread reply: signals.${signal.name}`, 'learned');
    }
  }
}
