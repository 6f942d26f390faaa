import type * as tf from '@tensorflow/tfjs';
import type { SeededRandom } from '../../bridge/random/SeededRandom.js';
import { DenseLayer, type DenseDescription } from './DenseLayer.js';

/**
 * ML-Agents' LinearEncoder: `num_layers` fully connected layers of `hidden_units`, each followed
 * by Swish, kernels KaimingHeNormal with gain 1 (input -> h, then h -> h).
 */
export class MlpBody {
  readonly layers: DenseLayer[] = [];

  constructor(name: string, inputSize: number, hiddenUnits: number, numLayers: number, rng: SeededRandom) {
    if (!Number.isInteger(hiddenUnits) || hiddenUnits < 1) {
      throw new Error(`network_settings.hidden_units: expected an integer >= 1, got ${hiddenUnits}`);
    }
    if (!Number.isInteger(numLayers) || numLayers < 1) {
      throw new Error(`network_settings.num_layers: expected an integer >= 1, got ${numLayers}`);
    }
    for (let i = 0; i < numLayers; i++) {
      const fanIn = i === 0 ? inputSize : hiddenUnits;
      this.layers.push(new DenseLayer(`${name}.${i}`, fanIn, hiddenUnits, 'swish', { kernel: 'kaimingHeNormal', gain: 1 }, rng));
    }
  }

  /** Width of the encoding the heads read. */
  get outputSize(): number {
    return this.layers[this.layers.length - 1]!.outputSize;
  }

  /** Encodes x [n, inputSize]; x is data (observations), so no gradient flows into it. */
  apply(x: tf.Tensor2D): tf.Tensor2D {
    let h = x;
    this.layers.forEach((layer, i) => (h = layer.apply(h, i === 0)));
    return h;
  }

  get variables(): tf.Variable[] {
    return this.layers.flatMap((l) => l.variables);
  }

  describe(): DenseDescription[] {
    return this.layers.map((l) => l.describe());
  }

  dispose(): void {
    for (const l of this.layers) l.dispose();
  }
}
