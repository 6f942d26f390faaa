import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { SeededRandom } from '../../bridge/random/SeededRandom.js';
import { selectBackend } from '../../trainer/backend/selectBackend.js';
import { DenseLayer, type Activation } from '../../trainer/networks/DenseLayer.js';

function maxAbsDiff(a: tf.Tensor, b: tf.Tensor): number {
  return tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);
}

describe('DenseLayer', () => {
  beforeAll(async () => {
    await selectBackend('wasm');
  });

  for (const activation of ['swish', 'linear'] as Activation[]) {
    for (const inputIsData of [false, true]) {
      it(`hand-written gradients equal autodiff of act(x.W + b) (${activation}, input is data: ${inputIsData})`, () => {
        const rng = new SeededRandom(activation.length + (inputIsData ? 10 : 0));
        const layer = new DenseLayer('l', 7, 5, activation, { kernel: 'kaimingHeNormal', gain: 1 }, rng);
        tf.tidy(() => layer.bias.assign(tf.tensor1d(Array.from({ length: 5 }, () => rng.range(-1, 1)))));
        const x = tf.tensor2d(Array.from({ length: 6 * 7 }, () => rng.range(-3, 3)), [6, 7]);
        const w = tf.tensor2d(Array.from({ length: 6 * 5 }, () => rng.range(-1, 1)), [6, 5]);
        const reference = (input: tf.Tensor2D, kernel: tf.Tensor, bias: tf.Tensor) => {
          const z = tf.add(tf.matMul(input, kernel as tf.Tensor2D), bias);
          return activation === 'swish' ? tf.mul(z, tf.sigmoid(z)) : z;
        };
        // Loss = sum(y * w) so that every output has its own upstream gradient.
        const varGrads = tf.variableGrads(() => tf.sum(tf.mul(layer.apply(x as tf.Tensor2D, inputIsData), w)) as tf.Scalar, [layer.kernel, layer.bias]);
        const refGrads = tf.grads((input: tf.Tensor, kernel: tf.Tensor, bias: tf.Tensor) => tf.sum(tf.mul(reference(input as tf.Tensor2D, kernel, bias), w)))([x, layer.kernel, layer.bias]);
        expect(maxAbsDiff(varGrads.grads[layer.kernel.name]!, refGrads[1]!)).toBeLessThan(1e-5);
        expect(maxAbsDiff(varGrads.grads[layer.bias.name]!, refGrads[2]!)).toBeLessThan(1e-5);
        expect(maxAbsDiff(layer.apply(x), reference(x, layer.kernel, layer.bias))).toBeLessThan(1e-6);
        if (!inputIsData) {
          const dx = tf.grad((input: tf.Tensor) => tf.sum(tf.mul(layer.apply(input as tf.Tensor2D), w)))(x);
          expect(maxAbsDiff(dx, refGrads[0]!)).toBeLessThan(1e-5);
        }
        layer.dispose();
      });
    }
  }
});
