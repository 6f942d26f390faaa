import { observationSize, type BehaviorSpec } from '../../bridge/spec/BehaviorSpec.js';

/**
 * Joins a behavior's observations (one column block per observation, n rows each) into n rows of
 * totalObservationSize floats, in spec order, as ML-Agents concatenates its encoders' outputs.
 * With a single observation the input is returned as is. Throws naming the observation whose
 * length is wrong.
 */
export function joinObservationRows(spec: BehaviorSpec, obs: readonly Float32Array[], n: number, where: string): Float32Array {
  if (!Number.isInteger(n) || n < 1) throw new Error(`${where}.n: expected an integer >= 1, got ${n}`);
  if (!Array.isArray(obs) || obs.length !== spec.observations.length) {
    throw new Error(`${where}.obs: expected ${spec.observations.length} observation arrays (${spec.observations.map((o) => o.name).join(', ')}), got ${Array.isArray(obs) ? obs.length : typeof obs}`);
  }
  const sizes = spec.observations.map(observationSize);
  obs.forEach((o, k) => {
    const want = n * sizes[k]!;
    if (!(o instanceof Float32Array) || o.length !== want) {
      throw new Error(`${where}.obs[${k}] (${spec.observations[k]!.name}): expected a Float32Array of ${n} x ${sizes[k]} = ${want}, got ${o?.constructor?.name ?? typeof o} of ${o?.length}`);
    }
  });
  if (obs.length === 1) return obs[0]!;
  const width = sizes.reduce((a, b) => a + b, 0);
  const rows = new Float32Array(n * width);
  for (let i = 0; i < n; i++) {
    let at = i * width;
    obs.forEach((o, k) => {
      const s = sizes[k]!;
      rows.set(o.subarray(i * s, (i + 1) * s), at);
      at += s;
    });
  }
  return rows;
}
