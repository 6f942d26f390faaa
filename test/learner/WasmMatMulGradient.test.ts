import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../trainer/backend/selectBackend.js';
import {
  installWasmMatMulGradient,
  uninstallWasmMatMulGradient,
  wasmMatMulGradientInstalled,
} from '../../trainer/backend/WasmMatMulGradient.js';
import { SeededRandom } from '../../bridge/random/SeededRandom.js';

const rng = new SeededRandom(7);
const rand = (shape: number[]) => {
  const n = shape.reduce((a, b) => a * b, 1);
  return tf.tensor(Float32Array.from({ length: n }, () => rng.range(-1, 1)), shape);
};

/** Gradients of sum(matMul(a, b) * w) w.r.t. a and b, with w random so every output element matters. */
function matMulGrads(a: tf.Tensor, b: tf.Tensor, w: tf.Tensor, ta: boolean, tb: boolean): Float32Array[] {
  const g = tf.grads((x: tf.Tensor, y: tf.Tensor) => tf.sum(tf.mul(tf.matMul(x, y, ta, tb), w)));
  const [da, db] = g([a, b]);
  const out = [da!.dataSync() as Float32Array, db!.dataSync() as Float32Array];
  tf.dispose([da!, db!]);
  return out;
}

function maxAbsDiff(x: Float32Array, y: Float32Array): number {
  expect(x.length).toBe(y.length);
  let m = 0;
  for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i]! - y[i]!));
  return m;
}

// [batch dims], m, k, n for C[m, n] = op(A) . op(B) with inner size k.
const CASES: [number[], number, number, number][] = [
  [[], 5, 7, 3],
  [[], 64, 33, 17],
  [[], 1, 12, 9],
  [[3], 6, 4, 5],
  [[2], 17, 9, 11],
];

describe('WASM BatchMatMul gradient', () => {
  beforeAll(async () => {
    expect(await selectBackend('wasm')).toBe('wasm');
  });

  it('is installed by selecting the wasm backend', () => {
    expect(wasmMatMulGradientInstalled()).toBe(true);
  });

  for (const [batch, m, k, n] of CASES) {
    for (const ta of [false, true]) {
      for (const tb of [false, true]) {
        it(`matches the stock gradient for [${batch}] ${m}x${k}.${k}x${n} transposeA=${ta} transposeB=${tb}`, () => {
          const a = rand([...batch, ...(ta ? [k, m] : [m, k])]);
          const b = rand([...batch, ...(tb ? [n, k] : [k, n])]);
          const w = rand([...batch, m, n]);
          installWasmMatMulGradient();
          const fast = matMulGrads(a, b, w, ta, tb);
          uninstallWasmMatMulGradient();
          const stock = matMulGrads(a, b, w, ta, tb);
          installWasmMatMulGradient();
          expect(maxAbsDiff(fast[0]!, stock[0]!)).toBeLessThan(1e-5);
          expect(maxAbsDiff(fast[1]!, stock[1]!)).toBeLessThan(1e-5);
          tf.dispose([a, b, w]);
        });
      }
    }
  }

  it('gives the same gradients as the CPU backend', async () => {
    const a = [2, 40, 30];
    const b = [2, 30, 20];
    const av = Float32Array.from({ length: 2400 }, () => rng.range(-1, 1));
    const bv = Float32Array.from({ length: 1200 }, () => rng.range(-1, 1));
    const wv = Float32Array.from({ length: 1600 }, () => rng.range(-1, 1));
    const run = () => {
      const ta = tf.tensor(av, a);
      const tb = tf.tensor(bv, b);
      const tw = tf.tensor(wv, [2, 40, 20]);
      const r = matMulGrads(ta, tb, tw, false, false);
      tf.dispose([ta, tb, tw]);
      return r;
    };
    const onWasm = run();
    await tf.setBackend('cpu');
    const onCpu = run();
    await tf.setBackend('wasm');
    expect(maxAbsDiff(onWasm[0]!, onCpu[0]!)).toBeLessThan(1e-5);
    expect(maxAbsDiff(onWasm[1]!, onCpu[1]!)).toBeLessThan(1e-5);
  });
});
