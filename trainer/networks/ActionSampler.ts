import { SeededRandom } from '../../bridge/random/SeededRandom.js';

/**
 * Draws actions from distributions the network computed, with a seeded generator so that acting
 * is reproducible for a seed and resumable from its state. Sampling happens on the CPU after one
 * readback, which is cheaper than random ops on the backend for the small batches of acting.
 */
export class ActionSampler {
  private readonly rng: SeededRandom;

  constructor(seed: number) {
    this.rng = new SeededRandom(seed);
  }

  /** A standard normal sample. */
  normal(): number {
    return this.rng.normal();
  }

  /**
   * Index of a category drawn from probs[offset .. offset + k) (torch.multinomial); categories
   * with probability 0 (masked) are never returned, even when rounding leaves the sum below 1.
   */
  categorical(probs: Float32Array, offset: number, k: number): number {
    const u = this.rng.next();
    let acc = 0;
    let last = -1;
    for (let j = 0; j < k; j++) {
      const p = probs[offset + j]!;
      if (p <= 0) continue;
      last = j;
      acc += p;
      if (u < acc) return j;
    }
    if (last < 0) throw new Error('ActionSampler.categorical: every action of the branch has probability 0');
    return last;
  }

  getState(): number[] {
    return this.rng.getState();
  }

  setState(state: readonly number[]): void {
    this.rng.setState(state);
  }
}

/** Index of the largest probability in probs[offset .. offset + k) (first on ties, as torch.argmax). */
export function argmax(values: Float32Array, offset: number, k: number): number {
  let best = 0;
  for (let j = 1; j < k; j++) if (values[offset + j]! > values[offset + best]!) best = j;
  return best;
}
