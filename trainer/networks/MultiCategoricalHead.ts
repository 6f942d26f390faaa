import * as tf from '@tensorflow/tfjs';
import type { SeededRandom } from '../../bridge/random/SeededRandom.js';
import { DenseLayer, type DenseDescription } from './DenseLayer.js';
import { DIST_EPSILON } from './GaussianHead.js';

// ML-Agents' MultiCategoricalDistribution._mask_branch: masked logits become -1e8.
const MASKED_LOGIT = 1e8;

/** Per-branch tensors of a discrete action distribution. */
export interface BranchDistribution {
  /** Softmax of the masked logits, [n, K]; masked actions get probability 0. */
  probs: tf.Tensor2D;
  /** log(probs + 1e-7) [n, K], ML-Agents' all_log_prob. */
  logProbs: tf.Tensor2D;
  /** -sum(probs * log(probs + 1e-7)) [n, 1]. */
  entropy: tf.Tensor2D;
}

/**
 * ML-Agents' MultiCategoricalDistribution: one linear layer of logits per branch (KaimingHeNormal,
 * gain 0.1); masks (1 allowed, 0 masked) turn logits into `logits * mask - 1e8 * (1 - mask)`.
 */
export class MultiCategoricalHead {
  readonly branches: DenseLayer[];
  /** Offset of each branch's first action in a mask / one-hot row. */
  readonly offsets: number[];
  readonly width: number;

  constructor(inputSize: number, readonly sizes: readonly number[], rng: SeededRandom) {
    this.branches = sizes.map((k, b) => new DenseLayer(`discrete.${b}`, inputSize, k, 'linear', { kernel: 'kaimingHeNormal', gain: 0.1 }, rng));
    this.offsets = [];
    let total = 0;
    for (const k of sizes) {
      this.offsets.push(total);
      total += k;
    }
    this.width = total;
  }

  /** The distributions of every branch for encodings h [n, H]; `masks` is [n, sum K] or null (all allowed). */
  distributions(h: tf.Tensor2D, masks: tf.Tensor2D | null): BranchDistribution[] {
    return this.branches.map((layer, b) => {
      let logits = layer.apply(h);
      if (masks) {
        const allow = tf.slice(masks, [0, this.offsets[b]!], [-1, this.sizes[b]!]);
        logits = tf.sub(tf.mul(logits, allow), tf.mul(tf.sub(1, allow), MASKED_LOGIT));
      }
      const probs = tf.softmax(logits) as tf.Tensor2D;
      const logProbs = tf.log(tf.add(probs, DIST_EPSILON)) as tf.Tensor2D;
      const entropy = tf.neg(tf.sum(tf.mul(probs, logProbs), 1, true)) as tf.Tensor2D;
      return { probs, logProbs, entropy };
    });
  }

  /**
   * Log probabilities [n, branches] of the actions given as one-hot rows [n, sum K]:
   * log(p(a) + 1e-7) per branch, as ML-Agents' CategoricalDistInstance.log_prob.
   */
  logProb(dists: BranchDistribution[], oneHot: tf.Tensor2D): tf.Tensor2D {
    const columns = dists.map((d, b) => {
      const pick = tf.slice(oneHot, [0, this.offsets[b]!], [-1, this.sizes[b]!]);
      return tf.log(tf.add(tf.sum(tf.mul(d.probs, pick), 1, true), DIST_EPSILON));
    });
    return (columns.length === 1 ? columns[0]! : tf.concat(columns, 1)) as tf.Tensor2D;
  }

  get variables(): tf.Variable[] {
    return this.branches.flatMap((l) => l.variables);
  }

  describe(): DenseDescription[] {
    return this.branches.map((l) => l.describe());
  }

  dispose(): void {
    for (const l of this.branches) l.dispose();
  }
}
