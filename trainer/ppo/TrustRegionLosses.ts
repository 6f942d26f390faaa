import * as tf from '@tensorflow/tfjs';

/**
 * ML-Agents' ModelUtils.trust_region_policy_loss: the clipped surrogate with one ratio per
 * log prob column (each continuous component and each discrete branch is clipped on its own),
 * every column weighted by its row's advantage, averaged over all n x columns entries.
 * `advantages` [n], `logProbs` / `oldLogProbs` [n, columns].
 *
 * With `proximalLogProbs` (the log probs of the same actions under the policy the update started
 * from) it is the decoupled objective of Hilton et al. 2021 ("Batch size-invariance for policy
 * optimization"): the ratio is clipped around that proximal policy instead of the behavior policy
 * that chose the actions, and each entry is weighted by proximal / behavior to correct for the
 * data being older than the policy. When the two policies are the same it is ML-Agents' loss.
 */
export function trustRegionPolicyLoss(
  advantages: tf.Tensor1D,
  logProbs: tf.Tensor2D,
  oldLogProbs: tf.Tensor2D,
  epsilon: number,
  proximalLogProbs: tf.Tensor2D | null = null,
): tf.Scalar {
  const advantage = tf.expandDims(advantages, 1);
  const ratio = tf.exp(tf.sub(logProbs, proximalLogProbs ?? oldLogProbs));
  const unclipped = tf.mul(ratio, advantage);
  const clipped = tf.mul(tf.clipByValue(ratio, 1 - epsilon, 1 + epsilon), advantage);
  const surrogate = tf.minimum(unclipped, clipped);
  const weighted = proximalLogProbs ? tf.mul(tf.exp(tf.sub(proximalLogProbs, oldLogProbs)), surrogate) : surrogate;
  return tf.neg(tf.mean(weighted)) as tf.Scalar;
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
