import * as tf from '@tensorflow/tfjs';
import { totalObservationSize, type BehaviorSpec } from '../../bridge/spec/BehaviorSpec.js';
import { Normalizer } from '../networks/Normalizer.js';
import { joinObservationRows } from '../networks/ObservationRows.js';

/**
 * The input side of a reward signal's network (ML-Agents' NetworkBody processors): a behavior's
 * observations joined into one row per step and, with the signal's `network_settings.normalize`,
 * passed through a running normaliser of its own (the policy's statistics are not shared, as in
 * ML-Agents).
 */
export class SignalObservations {
  readonly inputSize: number;
  readonly normalizer: Normalizer | null;

  constructor(
    readonly spec: BehaviorSpec,
    normalize: boolean,
  ) {
    this.inputSize = totalObservationSize(spec);
    this.normalizer = normalize ? new Normalizer(this.inputSize) : null;
  }

  /** The n joined rows as a tensor [n, inputSize], normalised when the signal normalises. */
  tensor(obs: readonly Float32Array[], n: number, where: string): tf.Tensor2D {
    const rows = joinObservationRows(this.spec, obs, n, where);
    return tf.tidy(() => {
      const x = tf.tensor2d(rows, [n, this.inputSize]);
      return this.normalizer ? this.normalizer.apply(x) : x;
    });
  }

  /** Folds n rows into the normaliser (no-op without normalisation). */
  update(obs: readonly Float32Array[], n: number): void {
    if (!this.normalizer || n === 0) return;
    this.normalizer.update(joinObservationRows(this.spec, obs, n, 'normalizer'), n);
  }

  dispose(): void {
    this.normalizer?.dispose();
  }
}
