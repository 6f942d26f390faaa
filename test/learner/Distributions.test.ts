import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { SeededRandom } from '../../bridge/random/SeededRandom.js';
import { selectBackend } from '../../trainer/backend/selectBackend.js';
import { GaussianHead } from '../../trainer/networks/GaussianHead.js';
import { MultiCategoricalHead } from '../../trainer/networks/MultiCategoricalHead.js';

const EPS = 1e-7;

/** Identity encodings make a layer's logits equal its kernel rows plus bias, which the tests set. */
function setLayer(layer: { kernel: tf.Variable; bias: tf.Variable }, kernel: number[][], bias: number[]): void {
  tf.tidy(() => {
    layer.kernel.assign(tf.tensor2d(kernel));
    layer.bias.assign(tf.tensor1d(bias));
  });
}

describe('MultiCategoricalHead', () => {
  beforeAll(async () => {
    await selectBackend('wasm');
  });

  // Two branches [3, 2]; the encoding is two rows of a 2-wide identity-like input.
  const sizes = [3, 2];
  const h = [
    [1, 0],
    [0.5, -2],
  ];
  const k0 = [
    [0.3, -1.2, 2.0],
    [1.5, 0.1, -0.4],
  ];
  const b0 = [0.1, 0.2, -0.3];
  const k1 = [
    [0.7, -0.7],
    [-0.2, 0.9],
  ];
  const b1 = [0.05, 0];
  // Row 0 masks action 1 of branch 0; row 1 masks action 0 of branch 1.
  const masks = [
    [1, 0, 1, 1, 1],
    [1, 1, 1, 0, 1],
  ];

  function expectedLogits(row: number, branch: number): number[] {
    const [kernel, bias] = branch === 0 ? [k0, b0] : [k1, b1];
    return bias.map((b, j) => b + h[row]!.reduce((s, x, i) => s + x * kernel[i]![j]!, 0));
  }

  function expectedProbs(row: number, branch: number): number[] {
    const offset = branch === 0 ? 0 : 3;
    const logits = expectedLogits(row, branch).map((l, j) => (masks[row]![offset + j] ? l : -Infinity));
    const max = Math.max(...logits);
    const e = logits.map((l) => Math.exp(l - max));
    const z = e.reduce((a, b) => a + b, 0);
    return e.map((v) => v / z);
  }

  it('gives masked softmax probabilities, log probs and entropies as closed forms', () => {
    const head = new MultiCategoricalHead(2, sizes, new SeededRandom(1));
    setLayer(head.branches[0]!, k0, b0);
    setLayer(head.branches[1]!, k1, b1);
    const actions = [
      [2, 1],
      [0, 1],
    ];
    const oneHot = actions.map((r) => [0, 1, 2].map((j) => (r[0] === j ? 1 : 0)).concat([0, 1].map((j) => (r[1] === j ? 1 : 0))));
    const [probs, logProbs, entropies] = tf.tidy(() => {
      const dists = head.distributions(tf.tensor2d(h), tf.tensor2d(masks));
      return [
        tf.concat(dists.map((d) => d.probs), 1).arraySync() as number[][],
        head.logProb(dists, tf.tensor2d(oneHot)).arraySync() as number[][],
        tf.concat(dists.map((d) => d.entropy), 1).arraySync() as number[][],
      ];
    });
    for (let row = 0; row < 2; row++) {
      for (let b = 0; b < 2; b++) {
        const p = expectedProbs(row, b);
        const offset = b === 0 ? 0 : 3;
        p.forEach((v, j) => expect(probs[row]![offset + j]).toBeCloseTo(v, 6));
        expect(logProbs[row]![b]).toBeCloseTo(Math.log(p[actions[row]![b]!]! + EPS), 5);
        const entropy = -p.reduce((s, v) => s + v * Math.log(v + EPS), 0);
        expect(entropies[row]![b]).toBeCloseTo(entropy, 5);
      }
    }
    // Masked actions have probability exactly zero.
    expect(probs[0]![1]).toBe(0);
    expect(probs[1]![3]).toBe(0);
    head.dispose();
  });

  it('without masks equals an all-allowed mask', () => {
    const head = new MultiCategoricalHead(2, sizes, new SeededRandom(2));
    const [a, b] = tf.tidy(() => {
      const x = tf.tensor2d(h);
      const free = head.distributions(x, null).map((d) => d.probs);
      const ones = head.distributions(x, tf.ones([2, 5])).map((d) => d.probs);
      return [tf.concat(free, 1).dataSync(), tf.concat(ones, 1).dataSync()];
    });
    expect(Array.from(a!)).toEqual(Array.from(b!));
    head.dispose();
  });
});

describe('GaussianHead', () => {
  it('gives Gaussian log densities and entropy as closed forms', () => {
    const head = new GaussianHead(2, 2, new SeededRandom(3));
    setLayer(head.mu, [[0.5, -1], [2, 0.25]], [0.1, -0.2]);
    const logSigma = [-0.5, 0.8];
    tf.tidy(() => head.logSigma.assign(tf.tensor2d([logSigma])));
    const x = [
      [1, -1],
      [0.3, 0.7],
    ];
    const actions = [
      [0.2, 4],
      [-2.5, 0.1],
    ];
    const [logProbs, entropy] = tf.tidy(() => {
      const mean = head.mean(tf.tensor2d(x));
      return [head.logProb(mean, tf.tensor2d(actions)).arraySync() as number[][], head.entropy().arraySync() as number[][]];
    });
    for (let i = 0; i < 2; i++) {
      for (let c = 0; c < 2; c++) {
        const mu = [0.1, -0.2][c]! + x[i]![0]! * [[0.5, -1], [2, 0.25]][0]![c]! + x[i]![1]! * [[0.5, -1], [2, 0.25]][1]![c]!;
        const sigma = Math.exp(logSigma[c]!);
        const density = -((actions[i]![c]! - mu) ** 2) / (2 * sigma * sigma) - Math.log(sigma) - 0.5 * Math.log(2 * Math.PI);
        expect(logProbs[i]![c]).toBeCloseTo(density, 4);
      }
    }
    const expectedEntropy = logSigma.reduce((s, ls) => s + 0.5 * Math.log(2 * Math.PI * Math.E * Math.exp(2 * ls)), 0) / 2;
    expect(entropy[0]![0]).toBeCloseTo(expectedEntropy, 5);
    head.dispose();
  });

  it('starts with log sigma 0, state independent', () => {
    const head = new GaussianHead(4, 3, new SeededRandom(4));
    expect(Array.from(head.logSigma.dataSync())).toEqual([0, 0, 0]);
    expect(head.logSigma.shape).toEqual([1, 3]);
    head.dispose();
  });
});
