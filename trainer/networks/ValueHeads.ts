import * as tf from '@tensorflow/tfjs';
import type { SeededRandom } from '../../bridge/random/SeededRandom.js';
import { DenseLayer, type DenseDescription } from './DenseLayer.js';

/** ML-Agents' ValueHeads: one linear output per reward signal (XavierGlorotUniform, gain 1). */
export class ValueHeads {
  readonly heads: DenseLayer[];

  constructor(readonly names: readonly string[], inputSize: number, rng: SeededRandom) {
    if (names.length === 0) throw new Error('reward_signals: at least one reward signal is needed (e.g. extrinsic)');
    if (new Set(names).size !== names.length) throw new Error(`reward_signals: names must be unique, got ${JSON.stringify(names)}`);
    this.heads = names.map((name) => new DenseLayer(`value.${name}`, inputSize, 1, 'linear', { kernel: 'xavierGlorotUniform', gain: 1 }, rng));
  }

  /** Values [n, signals], one column per name in order. */
  apply(h: tf.Tensor2D): tf.Tensor2D {
    const columns = this.heads.map((l) => l.apply(h));
    return (columns.length === 1 ? columns[0]! : tf.concat(columns, 1)) as tf.Tensor2D;
  }

  get variables(): tf.Variable[] {
    return this.heads.flatMap((l) => l.variables);
  }

  describe(): DenseDescription[] {
    return this.heads.map((l) => l.describe());
  }

  dispose(): void {
    for (const l of this.heads) l.dispose();
  }
}
