import * as tf from '@tensorflow/tfjs';
import type { SeededRandom } from '../../bridge/random/SeededRandom.js';
import { DenseLayer, type DenseDescription } from './DenseLayer.js';

/** ML-Agents' EPSILON in distributions.py, added inside logs and denominators. */
export const DIST_EPSILON = 1e-7;
const LOG_SQRT_2PI = Math.log(Math.sqrt(2 * Math.PI));

/**
 * ML-Agents' GaussianDistribution without conditional sigma or tanh squash (its PPO default):
 * mean = h . W + b (KaimingHeNormal, gain 0.2), log sigma a learned [1, C] vector starting at 0,
 * shared by every state.
 */
export class GaussianHead {
  readonly mu: DenseLayer;
  readonly logSigma: tf.Variable<tf.Rank.R2>;

  constructor(inputSize: number, readonly size: number, rng: SeededRandom) {
    this.mu = new DenseLayer('continuous.mu', inputSize, size, 'linear', { kernel: 'kaimingHeNormal', gain: 0.2 }, rng);
    this.logSigma = tf.tidy(() => tf.variable(tf.zeros([1, size]), true));
  }

  /** Mean [n, C] of the action distribution for encodings h [n, H]. */
  mean(h: tf.Tensor2D): tf.Tensor2D {
    return this.mu.apply(h);
  }

  /** Per-component log densities [n, C], ML-Agents' GaussianDistInstance.log_prob. */
  logProb(mean: tf.Tensor2D, actions: tf.Tensor2D): tf.Tensor2D {
    const std = tf.exp(this.logSigma);
    const variance = tf.square(std);
    const quad = tf.div(tf.square(tf.sub(actions, mean)), tf.add(tf.mul(variance, 2), DIST_EPSILON));
    return tf.sub(tf.sub(tf.neg(quad), tf.log(tf.add(std, DIST_EPSILON))), LOG_SQRT_2PI) as tf.Tensor2D;
  }

  /** Entropy [1, 1], the mean over components of 0.5 log(2 pi e sigma^2 + eps), as ML-Agents averages it. */
  entropy(): tf.Tensor2D {
    const perComponent = tf.mul(tf.log(tf.add(tf.mul(tf.exp(tf.mul(this.logSigma, 2)), 2 * Math.PI * Math.E), DIST_EPSILON)), 0.5);
    return tf.mean(perComponent, 1, true) as tf.Tensor2D;
  }

  get variables(): tf.Variable[] {
    return [...this.mu.variables, this.logSigma];
  }

  describe(): { mu: DenseDescription; logSigma: Float32Array } {
    return { mu: this.mu.describe(), logSigma: this.logSigma.dataSync() as Float32Array };
  }

  dispose(): void {
    this.mu.dispose();
    this.logSigma.dispose();
  }
}
