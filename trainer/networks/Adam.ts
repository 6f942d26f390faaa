import * as tf from '@tensorflow/tfjs';

/** Adam's moments and step count, as plain arrays (one entry per variable, in order). */
export interface AdamState {
  step: number;
  m: Float32Array[];
  v: Float32Array[];
}

/**
 * torch.optim.Adam as ML-Agents uses it (betas 0.9 / 0.999, eps 1e-8, no weight decay, no
 * gradient clipping): m and v moving averages, bias-corrected step lr / (1 - b1^t) and
 * denominator sqrt(v) / sqrt(1 - b2^t) + eps. Written out rather than tf.train.adam so that the
 * moments can be checkpointed and restored exactly and the learning rate can change per update.
 */
export class Adam {
  private step = 0;
  private readonly m: tf.Variable[];
  private readonly v: tf.Variable[];

  constructor(
    private readonly params: readonly tf.Variable[],
    private readonly beta1 = 0.9,
    private readonly beta2 = 0.999,
    private readonly epsilon = 1e-8,
  ) {
    // tidy frees the initial values; a variable keeps its own reference to the data.
    this.m = tf.tidy(() => params.map((p) => tf.variable(tf.zerosLike(p), false)));
    this.v = tf.tidy(() => params.map((p) => tf.variable(tf.zerosLike(p), false)));
  }

  /** Updates every parameter with its gradient (same order as the constructor's list). */
  apply(grads: readonly tf.Tensor[], learningRate: number): void {
    if (grads.length !== this.params.length) {
      throw new Error(`Adam.apply: expected ${this.params.length} gradients, got ${grads.length}`);
    }
    if (!(learningRate >= 0) || !Number.isFinite(learningRate)) {
      throw new Error(`Adam.apply: learning rate must be a finite number >= 0, got ${learningRate}`);
    }
    this.step++;
    const b1 = this.beta1;
    const b2 = this.beta2;
    const stepSize = learningRate / (1 - b1 ** this.step);
    const sqrtCorrection2 = Math.sqrt(1 - b2 ** this.step);
    tf.tidy(() => {
      this.params.forEach((p, i) => {
        const g = grads[i]!;
        const m = tf.add(tf.mul(this.m[i]!, b1), tf.mul(g, 1 - b1));
        const v = tf.add(tf.mul(this.v[i]!, b2), tf.mul(tf.square(g), 1 - b2));
        const denom = tf.add(tf.div(tf.sqrt(v), sqrtCorrection2), this.epsilon);
        p.assign(tf.sub(p, tf.mul(tf.div(m, denom), stepSize)));
        this.m[i]!.assign(m);
        this.v[i]!.assign(v);
      });
    });
  }

  /** Number of updates applied so far. */
  get steps(): number {
    return this.step;
  }

  getState(): AdamState {
    return {
      step: this.step,
      m: this.m.map((t) => (t.dataSync() as Float32Array).slice()),
      v: this.v.map((t) => (t.dataSync() as Float32Array).slice()),
    };
  }

  setState(state: AdamState, where = 'adam'): void {
    if (!Number.isInteger(state?.step) || state.step < 0) throw new Error(`${where}.step: expected an integer >= 0, got ${JSON.stringify(state?.step)}`);
    for (const key of ['m', 'v'] as const) {
      const arrays = state[key];
      if (!Array.isArray(arrays) || arrays.length !== this.params.length) {
        throw new Error(`${where}.${key}: expected ${this.params.length} arrays, got ${Array.isArray(arrays) ? arrays.length : typeof arrays}`);
      }
      arrays.forEach((a, i) => {
        if (!(a instanceof Float32Array) || a.length !== this.params[i]!.size) {
          throw new Error(`${where}.${key}[${i}]: expected a Float32Array of ${this.params[i]!.size}, got ${(a as { length?: number })?.length}`);
        }
      });
    }
    this.step = state.step;
    tf.tidy(() => {
      this.params.forEach((p, i) => {
        this.m[i]!.assign(tf.tensor(state.m[i]!, p.shape));
        this.v[i]!.assign(tf.tensor(state.v[i]!, p.shape));
      });
    });
  }

  dispose(): void {
    for (const t of [...this.m, ...this.v]) t.dispose();
  }
}
