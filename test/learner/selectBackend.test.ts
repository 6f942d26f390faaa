import * as tf from '@tensorflow/tfjs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { selectBackend, trainingWasmThreads, type BackendChoice } from '../../trainer/backend/selectBackend.js';

const require = createRequire(import.meta.url);
function installed(name: string): boolean {
  try {
    require.resolve(name);
    return true;
  } catch {
    return false;
  }
}
const nativeInstalled = installed('@tensorflow/tfjs-node') || installed('@tensorflow/tfjs-node-gpu');

describe('selectBackend', () => {
  it('uses the JS CPU backend when asked', async () => {
    expect(await selectBackend('cpu')).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
  });

  it('loads WASM from disk when asked', async () => {
    expect(await selectBackend('wasm')).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    const y = tf.tidy(() => tf.matMul(tf.tensor2d([[1, 2]]), tf.tensor2d([[3], [4]])).dataSync()[0]);
    expect(y).toBe(11);
  });

  it.skipIf(nativeInstalled)('explains how to install tfjs-node when tensorflow is asked for but missing', async () => {
    await expect(selectBackend('tensorflow')).rejects.toThrow(/backend tensorflow is not available .*npm install @tensorflow\/tfjs-node/);
  });

  it('picks the best available backend for auto', async () => {
    const chosen = await selectBackend('auto');
    expect(chosen).toBe(nativeInstalled ? 'tensorflow' : 'wasm');
    expect(tf.getBackend()).toBe(chosen);
  });

  it('rejects an unknown choice, listing the valid ones', async () => {
    await expect(selectBackend('webgpu' as BackendChoice)).rejects.toThrow('backend: expected one of auto, tensorflow, wasm, cpu, got "webgpu"');
  });
});

describe('trainingWasmThreads', () => {
  it('gives the learner every core while the games wait for it, and the cores the games leave when they play alongside', () => {
    // Pages in a browser, or one game process that waits for every action: all cores.
    expect(trainingWasmThreads({ cores: 2, localGames: 0, threadedUpdates: false })).toBe(2);
    expect(trainingWasmThreads({ cores: 2, localGames: 1, threadedUpdates: false })).toBe(2);
    // Several game processes: the games run at the same time.
    expect(trainingWasmThreads({ cores: 2, localGames: 2, threadedUpdates: false })).toBe(1);
    expect(trainingWasmThreads({ cores: 8, localGames: 2, threadedUpdates: false })).toBe(6);
    expect(trainingWasmThreads({ cores: 4, localGames: 8, threadedUpdates: false })).toBe(1);
    // Threaded updates run on the learner thread: this thread only acts.
    expect(trainingWasmThreads({ cores: 2, localGames: 0, threadedUpdates: true })).toBe(1);
    expect(trainingWasmThreads({ cores: 8, localGames: 2, threadedUpdates: true })).toBe(1);
  });
});
