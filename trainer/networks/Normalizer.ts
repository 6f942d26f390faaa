import * as tf from '@tensorflow/tfjs';

/** A normalizer's statistics, as ML-Agents' Normalizer buffers: `variance` is the running sum of squared deviations. */
export interface NormalizerState {
  steps: number;
  mean: Float64Array;
  variance: Float64Array;
}

// ML-Agents clips normalised observations to this range.
const CLIP = 5;

/**
 * ML-Agents' running observation normalizer (torch_entities/encoders.py): starts at steps 1,
 * mean 0, variance 1; `update` merges a batch as ML-Agents does; the forward pass is
 * clamp((x - mean) / sqrt(variance / steps), -5, 5). Statistics are kept in float64 on the CPU
 * (ML-Agents keeps float32 tensors; the sum of squares loses precision there over long runs)
 * and uploaded once per update.
 */
export class Normalizer {
  private steps = 1;
  private readonly mean: Float64Array;
  private readonly variance: Float64Array;
  private meanTensor: tf.Tensor2D;
  private stdTensor: tf.Tensor2D;

  constructor(readonly size: number) {
    if (!Number.isInteger(size) || size < 1) throw new Error(`Normalizer: size must be a positive integer, got ${size}`);
    this.mean = new Float64Array(size);
    this.variance = new Float64Array(size).fill(1);
    [this.meanTensor, this.stdTensor] = this.upload();
  }

  /** Folds n rows of `size` floats (row-major) into the statistics. */
  update(rows: Float32Array, n: number): void {
    const d = this.size;
    if (!Number.isInteger(n) || n < 0 || rows.length !== n * d) {
      throw new Error(`Normalizer.update: expected ${n} rows x ${d} = ${n * d} floats, got ${rows.length}`);
    }
    if (n === 0) return;
    const total = this.steps + n;
    const newMean = new Float64Array(d);
    for (let j = 0; j < d; j++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += rows[i * d + j]! - this.mean[j]!;
      newMean[j] = this.mean[j]! + s / total;
    }
    for (let j = 0; j < d; j++) {
      let s = 0;
      const oldM = this.mean[j]!;
      const newM = newMean[j]!;
      for (let i = 0; i < n; i++) {
        const x = rows[i * d + j]!;
        s += (x - newM) * (x - oldM);
      }
      this.variance[j]! += s;
    }
    this.mean.set(newMean);
    this.steps = total;
    this.refresh();
  }

  /** clamp((x - mean) / sqrt(variance / steps), -5, 5) for x [n, size]. */
  apply(x: tf.Tensor2D): tf.Tensor2D {
    return tf.clipByValue(tf.div(tf.sub(x, this.meanTensor), this.stdTensor), -CLIP, CLIP) as tf.Tensor2D;
  }

  getState(): NormalizerState {
    return { steps: this.steps, mean: this.mean.slice(), variance: this.variance.slice() };
  }

  setState(state: NormalizerState, where = 'normalizer'): void {
    if (!Number.isFinite(state?.steps) || state.steps < 1) {
      throw new Error(`${where}.steps: expected a number >= 1, got ${JSON.stringify(state?.steps)}`);
    }
    for (const key of ['mean', 'variance'] as const) {
      const v = state[key];
      if (!(v instanceof Float64Array) || v.length !== this.size) {
        throw new Error(`${where}.${key}: expected a Float64Array of ${this.size}, got ${v?.constructor?.name ?? typeof v} of ${v?.length}`);
      }
    }
    this.steps = state.steps;
    this.mean.set(state.mean);
    this.variance.set(state.variance);
    this.refresh();
  }

  private upload(): [tf.Tensor2D, tf.Tensor2D] {
    const std = new Float32Array(this.size);
    for (let j = 0; j < this.size; j++) std[j] = Math.sqrt(this.variance[j]! / this.steps);
    return [tf.keep(tf.tensor2d(Float32Array.from(this.mean), [1, this.size])), tf.keep(tf.tensor2d(std, [1, this.size]))];
  }

  private refresh(): void {
    this.meanTensor.dispose();
    this.stdTensor.dispose();
    [this.meanTensor, this.stdTensor] = this.upload();
  }

  dispose(): void {
    this.meanTensor.dispose();
    this.stdTensor.dispose();
  }
}
