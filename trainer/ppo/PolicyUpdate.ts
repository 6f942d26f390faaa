import type { SeededRandom } from '../../bridge/random/SeededRandom.js';
import { actionMaskSize, observationSize, type BehaviorSpec } from '../../bridge/spec/BehaviorSpec.js';
import type { RewardSignal } from '../rewards/RewardSignal.js';
import { signalColumns } from '../rewards/SignalColumns.js';
import type { HierarchicalTimer } from '../stats/HierarchicalTimer.js';
import { UpdateBuffer } from '../trajectory/UpdateBuffer.js';
import type { PolicyActions, PpoLearner, PpoStepHyperparameters } from './PpoLearner.js';

/**
 * An empty update buffer with every column a policy update reads, declared once: the trainer
 * appends processed trajectories to it and `policyUpdateSteps` cuts it into minibatches. Then
 * the columns the learning reward signals asked for (e.g. next observations).
 */
export function createPolicyUpdateBuffer(spec: BehaviorSpec, rewardSignals: readonly RewardSignal[]): UpdateBuffer {
  const { continuous, discrete } = spec.actions;
  const own: [string, Float32ArrayConstructor | Int32ArrayConstructor | Uint8ArrayConstructor, number][] = [
    ...spec.observations.map((o, k): [string, Float32ArrayConstructor, number] => [`obs${k}`, Float32Array, observationSize(o)]),
    ['continuousRaw', Float32Array, continuous],
    ['discrete', Int32Array, discrete.length],
    ['actionMasks', Uint8Array, actionMaskSize(spec.actions)],
    ['oldLogProbs', Float32Array, logProbWidth(spec)],
    ['advantages', Float32Array, 1],
    ...rewardSignals.flatMap((s): [string, Float32ArrayConstructor, number][] => [
      [`returns.${s.name}`, Float32Array, 1],
      [`values.${s.name}`, Float32Array, 1],
    ]),
  ];
  const buffer = new UpdateBuffer();
  for (const [name, ctor, width] of own) buffer.define(name, ctor, width);
  for (const c of signalColumns(rewardSignals, own.map(([name]) => name))) buffer.define(c.name, c.ctor, c.width);
  return buffer;
}

/** One log prob per continuous dimension and per discrete branch, as ML-Agents flattens them. */
function logProbWidth(spec: BehaviorSpec): number {
  return spec.actions.continuous + spec.actions.discrete.length;
}

/** The observations and actions of `n` buffer rows (a slice), as the learner reads them. */
function policyActions(spec: BehaviorSpec, cols: ReturnType<UpdateBuffer['slice']>, n: number): PolicyActions {
  return {
    n,
    obs: spec.observations.map((_, k) => cols[`obs${k}`] as Float32Array),
    continuousRaw: cols.continuousRaw as Float32Array,
    discrete: cols.discrete as Int32Array,
    actionMasks: spec.actions.discrete.length > 0 ? (cols.actionMasks as Uint8Array) : null,
  };
}

/** What one policy update works on; the same whether it runs in the trainer or on a learner thread. */
export interface PolicyUpdateParts {
  readonly spec: BehaviorSpec;
  readonly learner: PpoLearner;
  readonly rewardSignals: readonly RewardSignal[];
  readonly batchSize: number;
  readonly numEpoch: number;
  /**
   * The buffer may have been collected by older policies than the learner's (a threaded update:
   * the games kept playing with the previous weights while the last update ran). The update then
   * clips around the policy it starts from, with the decoupled objective (see
   * trustRegionPolicyLoss), instead of around the older policy, which the learner's weights may
   * already have left. For a buffer the current policy collected, both give the same loss.
   */
  readonly staleBuffer?: boolean;
  readonly timer?: HierarchicalTimer;
}

/**
 * ML-Agents' _update_policy on `buffer`, yielding after each minibatch: for a stale buffer the
 * proximal log probs of its actions (and 'Policy/Behavior Lag KL'), advantages normalised over the
 * buffer, then `numEpoch` shuffled passes of every full minibatch in it (ML-Agents uses
 * the whole buffer, which may hold more than buffer_size), each followed by the learning reward
 * signals' updates on the same minibatch. Returns the mean of every loss stat.
 */
export function* policyUpdateSteps(
  buffer: UpdateBuffer,
  parts: PolicyUpdateParts,
  current: PpoStepHyperparameters,
  rng: SeededRandom,
): Generator<void, Record<string, number>> {
  const { spec, learner, rewardSignals, timer } = parts;
  const time = <T>(name: string, fn: () => T): T => (timer ? timer.time(name, fn) : fn());
  const lagKl = parts.staleBuffer ? time('PpoOptimizer.proximalLogProbs', () => addProximalLogProbs(buffer, parts)) : null;
  buffer.normalizeColumn('advantages');
  const batchSize = Math.min(parts.batchSize, buffer.length);
  const numBatches = Math.floor(buffer.length / batchSize);
  const sums: Record<string, number> = {};
  let count = 0;
  for (let epoch = 0; epoch < parts.numEpoch; epoch++) {
    buffer.shuffle(rng);
    for (let b = 0; b < numBatches; b++) {
      const cols = buffer.slice(b * batchSize, (b + 1) * batchSize);
      const returns: Record<string, Float32Array> = {};
      const oldValues: Record<string, Float32Array> = {};
      for (const signal of rewardSignals) {
        returns[signal.name] = cols[`returns.${signal.name}`] as Float32Array;
        oldValues[signal.name] = cols[`values.${signal.name}`] as Float32Array;
      }
      const stats = time('PpoOptimizer.update', () =>
        learner.update(
          {
            ...policyActions(spec, cols, batchSize),
            oldLogProbs: cols.oldLogProbs as Float32Array,
            ...(lagKl === null ? {} : { proximalLogProbs: cols[PROXIMAL_LOG_PROBS] as Float32Array }),
            advantages: cols.advantages as Float32Array,
            returns,
            oldValues,
          },
          current,
        ),
      );
      for (const [k, v] of Object.entries(stats)) sums[k] = (sums[k] ?? 0) + v;
      // ML-Agents' update_reward_signals: each learning signal trains on the same minibatch.
      for (const signal of rewardSignals) {
        if (!signal.update) continue;
        const signalStats = time(`RewardSignal.${signal.name}.update`, () => signal.update!(cols, batchSize));
        for (const [k, v] of Object.entries(signalStats)) sums[k] = (sums[k] ?? 0) + v;
      }
      count++;
      yield;
    }
  }
  const means: Record<string, number> = {};
  for (const [k, v] of Object.entries(sums)) means[k] = v / count;
  if (lagKl !== null) means['Policy/Behavior Lag KL'] = lagKl;
  return means;
}

/** The buffer column of a stale buffer's actions' log probs under the learner's current policy. */
const PROXIMAL_LOG_PROBS = 'proximalLogProbs';

/**
 * Adds the PROXIMAL_LOG_PROBS column: the log probs of the buffer's actions under the learner's
 * weights as the update starts. Returns an estimate of KL(behavior || proximal) per log prob
 * column: how far the policy moved while the buffer was collected.
 */
function addProximalLogProbs(buffer: UpdateBuffer, parts: PolicyUpdateParts): number {
  const n = buffer.length;
  const cols = buffer.slice(0, n);
  const proximal = parts.learner.actionLogProbs(policyActions(parts.spec, cols, n));
  const behavior = cols.oldLogProbs as Float32Array;
  // KL(behavior || proximal) estimated as the mean of (ratio - 1) - log ratio, ratio = proximal /
  // behavior: unbiased like the mean of -log ratio, but never negative and of lower variance.
  let kl = 0;
  for (let i = 0; i < proximal.length; i++) {
    const logRatio = proximal[i]! - behavior[i]!;
    kl += Math.expm1(logRatio) - logRatio;
  }
  buffer.setColumn(PROXIMAL_LOG_PROBS, logProbWidth(parts.spec), proximal);
  return kl / Math.max(1, proximal.length);
}
