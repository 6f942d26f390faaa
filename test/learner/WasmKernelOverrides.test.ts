import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SeededRandom } from '../../bridge/random/SeededRandom.js';
import type { BehaviorSpec } from '../../bridge/spec/BehaviorSpec.js';
import { selectBackend } from '../../trainer/backend/selectBackend.js';
import { installWasmKernelOverrides, transposeMatrix, uninstallWasmKernelOverrides } from '../../trainer/backend/WasmKernelOverrides.js';
import { PpoOptimizer, type PpoBatch } from '../../trainer/ppo/PpoOptimizer.js';

const rng = new SeededRandom(11);
const values = (n: number) => Float32Array.from({ length: n }, () => rng.range(-2, 2));

/** Runs f with the stock kernels, then with the overrides, and returns both results. */
function stockAndOverridden<T>(f: () => T): [T, T] {
  uninstallWasmKernelOverrides();
  try {
    const stock = f();
    installWasmKernelOverrides();
    return [stock, f()];
  } finally {
    installWasmKernelOverrides();
  }
}

describe('WASM kernel overrides', () => {
  beforeAll(async () => {
    expect(await selectBackend('wasm')).toBe('wasm');
  });
  afterAll(() => installWasmKernelOverrides());

  it('transposes 2-D float and int matrices exactly as the stock kernel, tiles or not', () => {
    for (const [rows, cols] of [[1, 1], [1, 7], [7, 1], [3, 5], [8, 8], [17, 9], [64, 33], [301, 77]] as const) {
      const x = tf.tensor2d(values(rows * cols), [rows, cols]);
      const xi = tf.cast(tf.mul(x, 100), 'int32');
      const [stock, ours] = stockAndOverridden(() => [tf.transpose(x), tf.transpose(xi)].map((t) => {
        const v = t.dataSync().slice();
        expect(t.shape).toEqual([cols, rows]);
        t.dispose();
        return v;
      }));
      expect(ours[0]).toEqual(stock[0]);
      expect(ours[1]).toEqual(stock[1]);
      tf.dispose([x, xi]);
    }
  });

  it('leaves other ranks and permutations to the stock kernel', () => {
    const x = tf.tensor3d(values(2 * 3 * 4), [2, 3, 4]);
    for (const perm of [[2, 1, 0], [0, 2, 1], [1, 0, 2]]) {
      const [stock, ours] = stockAndOverridden(() => tf.tidy(() => tf.transpose(x, perm).arraySync()));
      expect(ours).toEqual(stock);
    }
    x.dispose();
  });

  it('transposeMatrix writes row i of a into column i of out', () => {
    const out = new Float32Array(6);
    transposeMatrix([1, 2, 3, 4, 5, 6], out, 2, 3);
    expect(Array.from(out)).toEqual([1, 4, 2, 5, 3, 6]);
  });

  it('clones share data safely: the clone outlives its source and a variable assign leaves it alone', () => {
    const before = tf.memory().numTensors;
    const source = tf.tensor1d([1, 2, 3]);
    const copy = tf.clone(source);
    source.dispose();
    expect(Array.from(copy.dataSync())).toEqual([1, 2, 3]);
    const v = tf.variable(copy);
    const snapshot = tf.clone(v);
    const next = tf.tensor1d([7, 8, 9]);
    v.assign(next);
    expect(Array.from(snapshot.dataSync())).toEqual([1, 2, 3]);
    expect(Array.from(v.dataSync())).toEqual([7, 8, 9]);
    expect(Array.from(copy.dataSync())).toEqual([1, 2, 3]);
    tf.dispose([copy, v, snapshot, next]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a PPO update gives the same weights with and without the overrides, and leaks nothing', () => {
    const spec: BehaviorSpec = {
      name: 'Overrides',
      observations: [{ name: 'obs', shape: [19], kind: 'vector' }],
      actions: { continuous: 2, discrete: [3, 2] },
      teamCount: 1,
      maxStep: 0,
    };
    const n = 37;
    const obs = [values(n * 19)];
    const [advantages, r1, r2, v1, v2] = [values(n), values(n), values(n), values(n), values(n)];
    const run = () => {
      const opt = new PpoOptimizer({ spec, network: { normalize: true, hidden_units: 24, num_layers: 2 }, rewardSignals: ['extrinsic', 'rnd'], seed: 5 });
      opt.updateNormalizer(obs, n);
      const acted = opt.act(obs, null, n);
      const batch: PpoBatch = {
        n,
        obs,
        continuousRaw: acted.continuousRaw,
        discrete: acted.discrete,
        actionMasks: null,
        oldLogProbs: acted.logProbs,
        advantages,
        returns: { extrinsic: r1, rnd: r2 },
        oldValues: { extrinsic: v1, rnd: v2 },
      };
      const tensors = tf.memory().numTensors;
      for (let i = 0; i < 3; i++) opt.update(batch, { learningRate: 1e-3, beta: 0.01, epsilon: 0.2 });
      expect(tf.memory().numTensors).toBe(tensors);
      const weights = opt.getState().networks.weights;
      opt.dispose();
      return weights;
    };
    const [stock, ours] = stockAndOverridden(run);
    expect(ours.length).toBe(stock.length);
    ours.forEach((w, i) => expect(w).toEqual(stock[i]));
  });
});
