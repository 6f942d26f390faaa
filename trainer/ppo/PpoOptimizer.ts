import * as tf from '@tensorflow/tfjs';
import { ActorCritic, type ActorCriticOptions, type ActorCriticState, type ActResult, type StateScope } from '../networks/ActorCritic.js';
import { Adam, type AdamState } from '../networks/Adam.js';
import { joinObservationRows } from '../networks/ObservationRows.js';
import type { PolicyActions, PpoBatch, PpoLearner, PpoStepHyperparameters } from './PpoLearner.js';

export type { PpoBatch, PpoStepHyperparameters } from './PpoLearner.js';
import { trustRegionPolicyLoss, trustRegionValueLoss } from './TrustRegionLosses.js';

/** Where the last update's time went, in milliseconds. */
export interface PpoUpdateTimings {
  /** Joining observations, building one-hots and creating the input tensors. */
  upload: number;
  /** Forward pass, loss and gradients. */
  forwardBackward: number;
  /** Adam step. */
  apply: number;
  /** Reading the loss values back. */
  readback: number;
}

/** A PpoOptimizer's checkpoint: plain typed arrays plus JSON-able metadata. */
export interface PpoLearnerState {
  format: 'three-rl-agents/ppo-learner';
  version: 1;
  networks: ActorCriticState;
  adam: AdamState;
}

interface ActionTensors {
  x: tf.Tensor2D;
  masks: tf.Tensor2D | null;
  continuous: tf.Tensor2D | null;
  oneHot: tf.Tensor2D | null;
}

interface BatchTensors extends ActionTensors {
  oldLogProbs: tf.Tensor2D;
  proximalLogProbs: tf.Tensor2D | null;
  advantages: tf.Tensor1D;
  returns: tf.Tensor2D;
  oldValues: tf.Tensor2D;
}

interface LossTerms {
  loss: tf.Scalar;
  policyLoss: tf.Scalar;
  valueLoss: tf.Scalar;
  entropy: tf.Scalar;
}

const STATE_FORMAT = 'three-rl-agents/ppo-learner';

/**
 * ML-Agents' TorchPPOOptimizer for one behavior: an ActorCritic and one Adam over the actor's
 * and the critic's parameters. `update` takes one minibatch; the trainer loops epochs and
 * minibatches, schedules the hyperparameters and normalises advantages, as ML-Agents' trainer.
 */
export class PpoOptimizer implements PpoLearner {
  readonly policy: ActorCritic;
  private readonly adam: Adam;
  /** Phase times of the most recent `update`. */
  lastUpdateTimings: PpoUpdateTimings = { upload: 0, forwardBackward: 0, apply: 0, readback: 0 };

  constructor(opts: ActorCriticOptions) {
    this.policy = new ActorCritic(opts);
    this.adam = new Adam(this.policy.variables);
  }

  /** Actions for n agents (see ActorCritic.act). */
  act(obs: Float32Array[], masks: Uint8Array | null, n: number, deterministic?: boolean): ActResult {
    return this.policy.act(obs, masks, n, deterministic);
  }

  /** Value estimates per reward signal for n observation rows. */
  values(obs: Float32Array[], n: number): Record<string, Float32Array> {
    return this.policy.values(obs, n);
  }

  /** Folds observations into the running normaliser (ML-Agents does it with each trajectory). */
  updateNormalizer(obs: Float32Array[], n: number): void {
    this.policy.updateNormalizer(obs, n);
  }

  /** Log probs of actions already taken, under the current weights (no gradient, nothing changes). */
  actionLogProbs(actions: PolicyActions): Float32Array {
    const t = this.uploadActions(actions);
    try {
      const logProbs = tf.tidy(() => this.policy.actionLogProbs(t.x, t.masks, t.continuous, t.oneHot));
      const out = logProbs.dataSync() as Float32Array;
      logProbs.dispose();
      return out;
    } finally {
      tf.dispose(tensorsOf(t));
    }
  }

  /**
   * One gradient step on a minibatch: loss = policy_loss + 0.5 value_loss - beta entropy, as
   * ML-Agents. Returns ML-Agents' stats for it ('Losses/Policy Loss' is the absolute value, as
   * ML-Agents reports it). 'Policy/Entropy' is not among them: ML-Agents records it from acting.
   */
  update(batch: PpoBatch, hp: PpoStepHyperparameters): Record<string, number> {
    checkHyperparameters(hp);
    const t0 = performance.now();
    const t = this.upload(batch);
    const t1 = performance.now();
    const kept: tf.Tensor[] = [];
    let grads: tf.Tensor[] = [];
    try {
      const vars = this.policy.variables;
      const result = tf.variableGrads(() => {
        const terms = this.lossTerms(t, hp);
        kept.push(tf.keep(terms.policyLoss), tf.keep(terms.valueLoss), tf.keep(terms.entropy));
        return terms.loss;
      }, vars);
      kept.push(result.value);
      grads = vars.map((v) => result.grads[v.name]!);
      const t2 = performance.now();
      this.adam.apply(grads, hp.learningRate);
      const t3 = performance.now();
      const [policyLoss, valueLoss] = readScalars(kept.slice(0, 2));
      this.lastUpdateTimings = { upload: t1 - t0, forwardBackward: t2 - t1, apply: t3 - t2, readback: performance.now() - t3 };
      return { 'Losses/Policy Loss': Math.abs(policyLoss!), 'Losses/Value Loss': valueLoss! };
    } finally {
      tf.dispose([...kept, ...grads, ...tensorsOf(t)]);
    }
  }

  /**
   * The loss terms of a minibatch without changing anything: 'loss', 'policyLoss' (signed),
   * 'valueLoss', 'entropy' (mean per row). For tests and for timing the forward pass alone.
   */
  evaluateLosses(batch: PpoBatch, hp: PpoStepHyperparameters): { loss: number; policyLoss: number; valueLoss: number; entropy: number } {
    checkHyperparameters(hp);
    const t = this.upload(batch);
    try {
      const terms = tf.tidy(() => {
        const l = this.lossTerms(t, hp);
        return tf.stack([l.loss, l.policyLoss, l.valueLoss, l.entropy]);
      });
      const [loss, policyLoss, valueLoss, entropy] = Array.from(terms.dataSync());
      terms.dispose();
      return { loss: loss!, policyLoss: policyLoss!, valueLoss: valueLoss!, entropy: entropy! };
    } finally {
      tf.dispose(tensorsOf(t));
    }
  }

  /** Every weight, Adam's moments and step, the normaliser and the sampler, for checkpoints. */
  getState(): PpoLearnerState {
    return { format: STATE_FORMAT, version: 1, networks: this.policy.getState(), adam: this.adam.getState() };
  }

  /** Restores a getState(); training then continues exactly as it would have. */
  setState(state: PpoLearnerState, scope: StateScope = 'all'): void {
    if (state?.format !== STATE_FORMAT || state.version !== 1) {
      throw new Error(`learner state: expected format ${STATE_FORMAT} version 1, got ${JSON.stringify(state?.format)} version ${JSON.stringify(state?.version)}`);
    }
    this.policy.setState(state.networks, 'learner.networks', scope);
    this.adam.setState(state.adam, 'learner.adam');
  }

  /** Number of minibatch updates applied. */
  get updateSteps(): number {
    return this.adam.steps;
  }

  dispose(): void {
    this.adam.dispose();
    this.policy.dispose();
  }

  private lossTerms(t: BatchTensors, hp: PpoStepHyperparameters): LossTerms {
    const ev = this.policy.evaluate(t.x, t.masks, t.continuous, t.oneHot);
    const policyLoss = trustRegionPolicyLoss(t.advantages, ev.logProbs, t.oldLogProbs, hp.epsilon, t.proximalLogProbs);
    const valueLoss = trustRegionValueLoss(ev.values, t.oldValues, t.returns, hp.epsilon);
    const entropy = tf.mean(ev.entropy) as tf.Scalar;
    const loss = tf.sub(tf.add(policyLoss, tf.mul(valueLoss, 0.5)), tf.mul(entropy, hp.beta)) as tf.Scalar;
    return { loss, policyLoss, valueLoss, entropy };
  }

  private upload(b: PpoBatch): BatchTensors {
    const actions = this.uploadActions(b);
    try {
      const p = this.policy;
      const n = b.n;
      const S = p.rewardSignals.length;
      const logProbWidth = `n x ${p.logProbWidth}: ${p.continuousSize} continuous + ${p.branchSizes.length} branches`;
      expectArray(b.oldLogProbs, Float32Array, n * p.logProbWidth, `batch.oldLogProbs (${logProbWidth})`);
      if (b.proximalLogProbs !== undefined) expectArray(b.proximalLogProbs, Float32Array, n * p.logProbWidth, `batch.proximalLogProbs (${logProbWidth})`);
      expectArray(b.advantages, Float32Array, n, 'batch.advantages');
      const returns = new Float32Array(n * S);
      const oldValues = new Float32Array(n * S);
      p.rewardSignals.forEach((name, s) => {
        for (const [field, target] of [['returns', returns], ['oldValues', oldValues]] as const) {
          const col = b[field]?.[name];
          expectArray(col, Float32Array, n, `batch.${field}.${name}`);
          for (let i = 0; i < n; i++) target[i * S + s] = col![i]!;
        }
      });
      return {
        ...actions,
        oldLogProbs: tf.tensor2d(b.oldLogProbs, [n, p.logProbWidth]),
        proximalLogProbs: b.proximalLogProbs ? tf.tensor2d(b.proximalLogProbs, [n, p.logProbWidth]) : null,
        advantages: tf.tensor1d(b.advantages),
        returns: tf.tensor2d(returns, [n, S]),
        oldValues: tf.tensor2d(oldValues, [n, S]),
      };
    } catch (err) {
      tf.dispose(tensorsOf(actions));
      throw err;
    }
  }

  /** Checks the rows and actions of a batch and makes their tensors (observations, masks, actions as the heads read them). */
  private uploadActions(b: PolicyActions): ActionTensors {
    const p = this.policy;
    const n = b?.n;
    const rows = joinObservationRows(p.spec, b?.obs, n, 'batch');
    const C = p.continuousSize;
    const B = p.branchSizes.length;
    expectArray(b.continuousRaw, Float32Array, n * C, `batch.continuousRaw (n x ${C} continuous actions)`);
    expectArray(b.discrete, Int32Array, n * B, `batch.discrete (n x ${B} branches)`);
    p.checkMasks(b.actionMasks, n, 'batch');
    let oneHot: Float32Array | null = null;
    if (B > 0) {
      const K = p.maskWidth;
      oneHot = new Float32Array(n * K);
      const offsets = p.discreteHead!.offsets;
      for (let i = 0; i < n; i++) {
        for (let br = 0; br < B; br++) {
          const a = b.discrete[i * B + br]!;
          const size = p.branchSizes[br]!;
          if (!(a >= 0 && a < size)) {
            throw new Error(`batch.discrete[${i * B + br}] (row ${i}, branch ${br}): expected an action in 0..${size - 1}, got ${a}`);
          }
          oneHot[i * K + offsets[br]! + a] = 1;
        }
      }
    }
    return {
      x: tf.tensor2d(rows, [n, p.inputSize]),
      masks: b.actionMasks && B > 0 ? p.maskTensor(b.actionMasks, n) : null,
      continuous: C > 0 ? tf.tensor2d(b.continuousRaw, [n, C]) : null,
      oneHot: oneHot ? tf.tensor2d(oneHot, [n, p.maskWidth]) : null,
    };
  }
}

function tensorsOf(t: ActionTensors): tf.Tensor[] {
  return Object.values(t).filter((v): v is tf.Tensor => v !== null);
}

function readScalars(tensors: tf.Tensor[]): number[] {
  const joined = tf.tidy(() => tf.concat(tensors.map((t) => tf.reshape(t, [-1]))));
  const values = Array.from(joined.dataSync());
  joined.dispose();
  return values;
}

function expectArray(a: unknown, type: Float32ArrayConstructor | Int32ArrayConstructor, length: number, field: string): void {
  if (!(a instanceof type) || a.length !== length) {
    const got = a === undefined || a === null ? String(a) : `${(a as object).constructor?.name} of ${(a as { length?: number }).length}`;
    throw new Error(`${field}: expected a ${type.name} of ${length}, got ${got}`);
  }
}

function checkHyperparameters(hp: PpoStepHyperparameters): void {
  const rules: [keyof PpoStepHyperparameters, (v: number) => boolean, string][] = [
    ['learningRate', (v) => v >= 0, '>= 0'],
    ['beta', (v) => v >= 0, '>= 0'],
    ['epsilon', (v) => v > 0, '> 0'],
  ];
  for (const [key, ok, rule] of rules) {
    const v = hp?.[key];
    if (typeof v !== 'number' || !Number.isFinite(v) || !ok(v)) {
      throw new Error(`hyperparameters.${key}: expected a finite number ${rule}, got ${JSON.stringify(v)}`);
    }
  }
}
