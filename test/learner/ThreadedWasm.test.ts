import * as tf from '@tensorflow/tfjs';
import os from 'node:os';
import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../bridge/random/SeededRandom.js';
import { selectBackend } from '../../trainer/backend/selectBackend.js';
import { threadedWasmThreads } from '../../trainer/backend/ThreadedWasm.js';

// Runs in its own process (vitest forks per file): the WASM thread count is fixed at first use.
describe.skipIf(os.availableParallelism() < 2)('threaded WASM backend', () => {
  it('starts with 2 XNNPACK threads and multiplies like a plain loop', async () => {
    expect(await selectBackend('wasm', { wasmThreads: 2 })).toBe('wasm');
    expect(threadedWasmThreads).toBe(2);
    const rng = new SeededRandom(3);
    const [m, k, n] = [300, 200, 100];
    const a = Float32Array.from({ length: m * k }, () => rng.range(-1, 1));
    const b = Float32Array.from({ length: k * n }, () => rng.range(-1, 1));
    const c = tf.tidy(() => tf.matMul(tf.tensor2d(a, [m, k]), tf.tensor2d(b, [k, n])).dataSync());
    let worst = 0;
    for (let i = 0; i < m; i += 7) {
      for (let j = 0; j < n; j += 3) {
        let s = 0;
        for (let q = 0; q < k; q++) s += a[i * k + q]! * b[q * n + j]!;
        worst = Math.max(worst, Math.abs(s - c[i * n + j]!));
      }
    }
    expect(worst).toBeLessThan(1e-4);
  });

  it('keeps the thread count once WASM is running', async () => {
    expect(await selectBackend('wasm', { wasmThreads: 1 })).toBe('wasm');
    expect(threadedWasmThreads).toBe(2);
  });
});
