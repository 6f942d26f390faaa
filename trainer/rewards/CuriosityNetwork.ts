import * as tf from '@tensorflow/tfjs';
import type { SeededRandom } from '../../bridge/random/SeededRandom.js';
import type { ActionSpec } from '../../bridge/spec/BehaviorSpec.js';
import { DenseLayer } from '../networks/DenseLayer.js';
import { MlpBody } from '../networks/MlpBody.js';
import { flattenedActionSize } from './ActionEncoding.js';
import type { SignalNetworkShape } from './SignalNetworkSettings.js';

// ML-Agents' CuriosityNetwork: the inverse and forward models have one Swish layer of 256.
const MODEL_UNITS = 256;
// Keeps log(p) finite for a predicted probability of 0, as ML-Agents' EPSILON.
const LOG_EPSILON = 1e-10;

/** The two ICM losses of a minibatch, as scalars. */
export interface CuriosityLosses {
  /** Mean over rows of 0.5 * |phi(s') - f(phi(s), a)|^2. */
  forward: tf.Scalar;
  /** Mean over rows of the action prediction error (squared error for continuous, cross-entropy per branch). */
  inverse: tf.Scalar;
}

/**
 * ML-Agents' ICM network (Pathak et al. 2017): a state encoder phi (the signal's
 * network_settings: Swish MLP of hidden_units x num_layers), an inverse model predicting the action
 * from (phi(s), phi(s')) and a forward model predicting phi(s') from (phi(s), action). Both losses
 * train the encoder; the forward target phi(s') is not detached, as in ML-Agents.
 */
export class CuriosityNetwork {
  readonly encoder: MlpBody;
  readonly inverseHidden: DenseLayer;
  readonly continuousPrediction: DenseLayer | null;
  readonly discretePrediction: DenseLayer | null;
  readonly forwardHidden: DenseLayer;
  readonly forwardOut: DenseLayer;

  constructor(
    readonly actions: ActionSpec,
    inputSize: number,
    shape: SignalNetworkShape,
    rng: SeededRandom,
  ) {
    const h = shape.hiddenUnits;
    const swish = { kernel: 'kaimingHeNormal', gain: 1 } as const;
    const linear = { kernel: 'xavierGlorotUniform', gain: 1 } as const;
    const branchTotal = actions.discrete.reduce((a, b) => a + b, 0);
    this.encoder = new MlpBody('curiosity.encoder', inputSize, h, shape.numLayers, rng);
    this.inverseHidden = new DenseLayer('curiosity.inverse.0', 2 * h, MODEL_UNITS, 'swish', swish, rng);
    this.continuousPrediction = actions.continuous > 0 ? new DenseLayer('curiosity.inverse.continuous', MODEL_UNITS, actions.continuous, 'linear', linear, rng) : null;
    this.discretePrediction = branchTotal > 0 ? new DenseLayer('curiosity.inverse.discrete', MODEL_UNITS, branchTotal, 'linear', linear, rng) : null;
    this.forwardHidden = new DenseLayer('curiosity.forward.0', h + flattenedActionSize(actions), MODEL_UNITS, 'swish', swish, rng);
    this.forwardOut = new DenseLayer('curiosity.forward.1', MODEL_UNITS, h, 'linear', linear, rng);
  }

  /** Every trainable variable, in a fixed order (the checkpoint's order). */
  get variables(): tf.Variable[] {
    const layers = [this.inverseHidden, this.continuousPrediction, this.discretePrediction, this.forwardHidden, this.forwardOut];
    return [...this.encoder.variables, ...layers.flatMap((l) => l?.variables ?? [])];
  }

  /** Per row, 0.5 * sum((phi(s') - f(phi(s), a))^2): ML-Agents' curiosity reward before scaling. */
  forwardErrors(x: tf.Tensor2D, nextX: tf.Tensor2D, flatActions: tf.Tensor2D): tf.Tensor1D {
    return this.forwardErrorsOf(this.encoder.apply(x), this.encoder.apply(nextX), flatActions);
  }

  /**
   * Forward and inverse losses of a minibatch. `continuous` [n, C] are the raw sampled actions,
   * `oneHot` [n, sum(branches)] the discrete ones; `flatActions` is both joined.
   */
  losses(x: tf.Tensor2D, nextX: tf.Tensor2D, flatActions: tf.Tensor2D, continuous: tf.Tensor2D | null, oneHot: tf.Tensor2D | null): CuriosityLosses {
    const state = this.encoder.apply(x);
    const next = this.encoder.apply(nextX);
    const forward = tf.mean(this.forwardErrorsOf(state, next, flatActions)) as tf.Scalar;
    const hidden = this.inverseHidden.apply(tf.concat([state, next], 1));
    let inverse: tf.Scalar = tf.scalar(0);
    if (this.continuousPrediction && continuous) {
      const diff = tf.sub(continuous, this.continuousPrediction.apply(hidden));
      inverse = tf.add(inverse, tf.mean(tf.sum(tf.square(diff), 1)));
    }
    if (this.discretePrediction && oneHot) {
      const logits = this.discretePrediction.apply(hidden);
      const branches = this.actions.discrete.length === 1 ? [logits] : tf.split(logits, [...this.actions.discrete], 1);
      const probs = tf.concat(branches.map((b) => tf.softmax(b)), 1);
      const crossEntropy = tf.sum(tf.mul(tf.neg(tf.log(tf.add(probs, LOG_EPSILON))), oneHot), 1);
      inverse = tf.add(inverse, tf.mean(crossEntropy));
    }
    return { forward, inverse };
  }

  dispose(): void {
    this.encoder.dispose();
    for (const l of [this.inverseHidden, this.continuousPrediction, this.discretePrediction, this.forwardHidden, this.forwardOut]) l?.dispose();
  }

  private forwardErrorsOf(state: tf.Tensor2D, next: tf.Tensor2D, flatActions: tf.Tensor2D): tf.Tensor1D {
    const predicted = this.forwardOut.apply(this.forwardHidden.apply(tf.concat([state, flatActions], 1)));
    return tf.mul(tf.sum(tf.square(tf.sub(next, predicted)), 1), 0.5) as tf.Tensor1D;
  }
}
