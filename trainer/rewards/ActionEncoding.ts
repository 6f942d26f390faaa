import type { ActionSpec } from '../../bridge/spec/BehaviorSpec.js';

/**
 * ML-Agents' ActionFlattener input for n rows: the continuous actions as sampled (raw, before
 * clipping, as ML-Agents stores them) followed by a one-hot of every discrete branch. Row width is
 * C + sum(branch sizes).
 */
export function flattenActions(actions: ActionSpec, continuousRaw: Float32Array, discrete: Int32Array, n: number, where: string): Float32Array {
  const C = actions.continuous;
  const branches = actions.discrete;
  const B = branches.length;
  if (continuousRaw.length !== n * C) throw new Error(`${where}.continuousRaw: expected ${n} x ${C} values, got ${continuousRaw.length}`);
  if (discrete.length !== n * B) throw new Error(`${where}.discrete: expected ${n} x ${B} values, got ${discrete.length}`);
  const width = C + branches.reduce((a, b) => a + b, 0);
  const out = new Float32Array(n * width);
  for (let i = 0; i < n; i++) {
    const row = i * width;
    for (let c = 0; c < C; c++) out[row + c] = continuousRaw[i * C + c]!;
    let offset = row + C;
    for (let b = 0; b < B; b++) {
      const a = discrete[i * B + b]!;
      const size = branches[b]!;
      if (!(a >= 0 && a < size)) throw new Error(`${where}.discrete[${i * B + b}] (row ${i}, branch ${b}): expected an action in 0..${size - 1}, got ${a}`);
      out[offset + a] = 1;
      offset += size;
    }
  }
  return out;
}

/** Width of a flattened action row: C + sum(branch sizes). */
export function flattenedActionSize(actions: ActionSpec): number {
  return actions.continuous + actions.discrete.reduce((a, b) => a + b, 0);
}
