/**
 * Generalised advantage estimation over one trajectory, as ML-Agents' get_gae:
 * delta_t = r_t + gamma * V(s_{t+1}) - V(s_t), advantage = discounted sum of deltas with gamma * lambda,
 * where V after the last step is `valueNext` (0 when the episode truly ended).
 * Returns the advantages; the value targets are advantages + values.
 */
export function generalizedAdvantages(
  rewards: Float32Array,
  values: Float32Array,
  valueNext: number,
  gamma: number,
  lambd: number,
): Float32Array {
  const n = rewards.length;
  if (values.length !== n) throw new Error(`GAE: ${n} rewards but ${values.length} values`);
  const adv = new Float32Array(n);
  let running = 0;
  for (let t = n - 1; t >= 0; t--) {
    const nextV = t === n - 1 ? valueNext : values[t + 1]!;
    const delta = rewards[t]! + gamma * nextV - values[t]!;
    running = delta + gamma * lambd * running;
    adv[t] = running;
  }
  return adv;
}
