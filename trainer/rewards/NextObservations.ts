import { observationSize, type BehaviorSpec } from '../../bridge/spec/BehaviorSpec.js';
import type { Trajectory } from '../trajectory/Trajectory.js';

/** Update-buffer column name of the next observations of observation k. */
export function nextObservationColumn(k: number): string {
  return `nextObs${k}`;
}

/**
 * The observation after each step of a trajectory (ML-Agents' next_obs buffer keys): row i is
 * observation row i + 1, and the last row is the trajectory's `nextObs` (the observation that
 * followed its last step, terminal or not).
 */
export function nextObservations(spec: BehaviorSpec, t: Trajectory): Float32Array[] {
  return spec.observations.map((o, k) => {
    const size = observationSize(o);
    const col = t.obs[k]!;
    const next = t.nextObs[k]!;
    if (col.length !== t.length * size || next.length !== size) {
      throw new Error(`trajectory.obs[${k}] (${o.name}): expected ${t.length} x ${size} values and one next row, got ${col.length} and ${next.length}`);
    }
    const out = new Float32Array(t.length * size);
    out.set(col.subarray(size));
    out.set(next, (t.length - 1) * size);
    return out;
  });
}
