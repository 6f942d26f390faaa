/**
 * The clipped surrogate, in ML-Agents' form and in the decoupled form threaded updates use, checked
 * against the formulas computed by hand on entries chosen to land inside and outside the clip.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../trainer/backend/selectBackend.js';
import { trustRegionPolicyLoss } from '../../trainer/ppo/TrustRegionLosses.js';

const EPSILON = 0.2;
// Two rows, two log prob columns each (e.g. two discrete branches).
const advantages = [1.5, -0.7];
const logProbs = [
  [-0.2, -1.0],
  [-0.9, -0.4],
];
const proximal = [
  [-0.1, -0.9],
  [-0.5, -0.45],
];
const behavior = [
  [-0.3, -1.4],
  [-0.8, -0.3],
];

/** -mean over entries of weight x min(r A, clip(r) A), r = exp(new - centre), weight = exp(centre - behavior) or 1. */
function byHand(centre: number[][], weighted: boolean): number {
  let sum = 0;
  for (let i = 0; i < 2; i++) {
    for (let j = 0; j < 2; j++) {
      const r = Math.exp(logProbs[i]![j]! - centre[i]![j]!);
      const a = advantages[i]!;
      const surrogate = Math.min(r * a, Math.min(Math.max(r, 1 - EPSILON), 1 + EPSILON) * a);
      sum += (weighted ? Math.exp(centre[i]![j]! - behavior[i]![j]!) : 1) * surrogate;
    }
  }
  return -sum / 4;
}

describe('trustRegionPolicyLoss', () => {
  beforeAll(async () => {
    await selectBackend('cpu');
  });

  it("is ML-Agents' clipped surrogate around the behavior policy without proximal log probs", () => {
    const loss = trustRegionPolicyLoss(tf.tensor1d(advantages), tf.tensor2d(logProbs), tf.tensor2d(behavior), EPSILON);
    expect(loss.dataSync()[0]).toBeCloseTo(byHand(behavior, false), 6);
    // Passing the behavior policy as the proximal one changes nothing.
    const same = trustRegionPolicyLoss(tf.tensor1d(advantages), tf.tensor2d(logProbs), tf.tensor2d(behavior), EPSILON, tf.tensor2d(behavior));
    expect(same.dataSync()[0]).toBeCloseTo(byHand(behavior, false), 6);
  });

  it('clips around the proximal policy and weights by proximal / behavior with proximal log probs', () => {
    const loss = trustRegionPolicyLoss(tf.tensor1d(advantages), tf.tensor2d(logProbs), tf.tensor2d(behavior), EPSILON, tf.tensor2d(proximal));
    const expected = byHand(proximal, true);
    expect(loss.dataSync()[0]).toBeCloseTo(expected, 6);
    expect(expected).not.toBeCloseTo(byHand(behavior, false), 2);
  });

  it('keeps a gradient for a policy that already left the behavior clip range, where the ML-Agents loss has none', () => {
    // The learner starts where an earlier update left it: log prob -0.2 against -0.5 at collection,
    // a ratio of 1.35 for a positive advantage, beyond 1 + epsilon.
    const start = tf.tensor2d([[-0.2]]);
    const behind = tf.tensor2d([[-0.5]]);
    const advantage = tf.tensor1d([1]);
    const gradient = (proximalLogProbs: tf.Tensor2D | null) =>
      tf.grad((lp: tf.Tensor) => trustRegionPolicyLoss(advantage, lp as tf.Tensor2D, behind, EPSILON, proximalLogProbs))(start).dataSync()[0]!;
    expect(gradient(null)).toBe(0);
    // Decoupled: d/dlp of -w exp(lp - prox) A at lp = prox is -w A, with w = exp(-0.2 + 0.5).
    expect(gradient(start)).toBeCloseTo(-Math.exp(0.3), 5);
  });
});
