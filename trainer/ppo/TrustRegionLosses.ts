import * as tf from '@tensorflow/tfjs';

/**
 * ML-Agents' ModelUtils.trust_region_policy_loss: the clipped surrogate with one ratio per
 * log prob column (each continuous component and each discrete branch is clipped on its own),
 * every column weighted by its row's advantage, averaged over all n x columns entries.
 * `advantages` [n], `logProbs` / `oldLogProbs` [n, columns].
 */
export function trustRegionPolicyLoss(advantages: tf.Tensor1D, logProbs: tf.Tensor2D, oldLogProbs: tf.Tensor2D, epsilon: number): tf.Scalar {
  const advantage = tf.expandDims(advantages, 1);
  const ratio = tf.exp(tf.sub(logProbs, oldLogProbs));
  const unclipped = tf.mul(ratio, advantage);
  const clipped = tf.mul(tf.clipByValue(ratio, 1 - epsilon, 1 + epsilon), advantage);
  return tf.neg(tf.mean(tf.minimum(unclipped, clipped))) as tf.Scalar;
}

/**
 * ML-Agents' ModelUtils.trust_region_value_loss: per reward signal, the larger of the squared
 * errors of the new value and of the old value moved by at most epsilon towards it, averaged over
 * rows, then averaged over signals. All inputs [n, signals].
 */
export function trustRegionValueLoss(values: tf.Tensor2D, oldValues: tf.Tensor2D, returns: tf.Tensor2D, epsilon: number): tf.Scalar {
  const clippedValues = tf.add(oldValues, tf.clipByValue(tf.sub(values, oldValues), -epsilon, epsilon));
  const unclippedError = tf.square(tf.sub(returns, values));
  const clippedError = tf.square(tf.sub(returns, clippedValues));
  // Every signal has the same n rows, so the mean of per-signal means is the overall mean.
  return tf.mean(tf.maximum(unclippedError, clippedError));
}
