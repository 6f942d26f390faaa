import type { SeededRandom } from '../../bridge/random/SeededRandom.js';

/**
 * ML-Agents' weight initialisations (torch_entities/layers.py `linear_layer`), drawn from a
 * seeded generator so that a run's networks depend only on its seed. Kernels are [in, out],
 * row-major, as the networks multiply `x . W`.
 */
export type Initialization = 'kaimingHeNormal' | 'xavierGlorotUniform' | 'zero';

/**
 * A kernel of `fanIn x fanOut` values: `kaimingHeNormal` is torch's kaiming_normal_ with
 * nonlinearity "linear" (std 1/sqrt(fanIn)), `xavierGlorotUniform` is U(+-sqrt(6/(fanIn+fanOut)));
 * both are then multiplied by `gain` as ML-Agents' kernel_gain.
 */
export function initialKernel(rng: SeededRandom, init: Initialization, fanIn: number, fanOut: number, gain = 1): Float32Array {
  const w = new Float32Array(fanIn * fanOut);
  if (init === 'kaimingHeNormal') {
    const std = 1 / Math.sqrt(fanIn);
    for (let i = 0; i < w.length; i++) w[i] = rng.normal() * std * gain;
  } else if (init === 'xavierGlorotUniform') {
    const bound = Math.sqrt(6 / (fanIn + fanOut));
    for (let i = 0; i < w.length; i++) w[i] = (rng.next() * 2 - 1) * bound * gain;
  }
  return w;
}
