import * as tf from '@tensorflow/tfjs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { selectBackend, type BackendChoice } from '../../trainer/backend/selectBackend.js';

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
