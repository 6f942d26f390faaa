import { SeededRandom } from '../../bridge/random/SeededRandom.js';
import { actionMaskSize, observationSize, type BehaviorSpec } from '../../bridge/spec/BehaviorSpec.js';
import type { RewardSignalMinibatch } from '../../trainer/rewards/RewardSignal.js';
import type { Trajectory } from '../../trainer/trajectory/Trajectory.js';

/** Two observations (joined to 6 floats), two continuous actions and branches [3, 2]. */
export const hybridSpec: BehaviorSpec = {
  name: 'Hybrid',
  observations: [
    { name: 'a', shape: [4], kind: 'vector' },
    { name: 'b', shape: [2], kind: 'rays' },
  ],
  actions: { continuous: 2, discrete: [3, 2] },
  teamCount: 1,
  maxStep: 0,
};

/** Steps of experience as a trainer's columns: observations, next observations and actions. */
export interface Steps {
  n: number;
  obs: Float32Array[];
  next: Float32Array[];
  continuousRaw: Float32Array;
  discrete: Int32Array;
}

/**
 * n consecutive steps of a deterministic world: observation a (4 floats) becomes
 * 0.5 a + 0.5 (c0, c1, d0 - 1, d1 - 0.5) after actions c (continuous) and d (discrete), b (2 floats)
 * stays. The inverse model can recover the actions from (s, s') and the forward model can learn the
 * move. `offset` shifts every observation, to make states none of the other seeds' steps visit.
 */
export function worldSteps(spec: BehaviorSpec, n: number, seed: number, offset = 0): Steps {
  const rng = new SeededRandom(seed);
  const [sa, sb] = spec.observations.map(observationSize) as [number, number];
  const C = spec.actions.continuous;
  const B = spec.actions.discrete.length;
  const continuousRaw = Float32Array.from({ length: n * C }, () => rng.normal());
  const discrete = Int32Array.from({ length: n * B }, (_, j) => rng.int(spec.actions.discrete[j % B]!));
  const obs = [new Float32Array(n * sa), new Float32Array(n * sb)];
  const next = [new Float32Array(n * sa), new Float32Array(n * sb)];
  const a = Float32Array.from({ length: sa }, () => rng.range(-1, 1));
  const b = Float32Array.from({ length: sb }, () => rng.range(-1, 1));
  for (let i = 0; i < n; i++) {
    const move = [...continuousRaw.subarray(i * C, (i + 1) * C)];
    spec.actions.discrete.forEach((size, k) => move.push(discrete[i * B + k]! - (size - 1) / 2));
    for (let j = 0; j < sa; j++) {
      obs[0]![i * sa + j] = a[j]! + offset;
      a[j] = 0.5 * a[j]! + 0.5 * (move[j] ?? 0);
      next[0]![i * sa + j] = a[j]! + offset;
    }
    for (let j = 0; j < sb; j++) obs[1]![i * sb + j] = next[1]![i * sb + j] = b[j]! + offset;
  }
  return { n, obs, next, continuousRaw, discrete };
}

/** The steps as one trajectory: consecutive rows, the last row's next observation as `nextObs`. */
export function trajectoryOf(spec: BehaviorSpec, s: Steps): Trajectory {
  const sizes = spec.observations.map(observationSize);
  const lp = spec.actions.continuous + spec.actions.discrete.length;
  const mask = actionMaskSize(spec.actions);
  return {
    agentKey: 0,
    length: s.n,
    obs: s.obs,
    nextObs: s.next.map((col, k) => col.slice((s.n - 1) * sizes[k]!, s.n * sizes[k]!)),
    continuousRaw: s.continuousRaw,
    discrete: s.discrete,
    logProbs: new Float32Array(s.n * lp),
    actionMasks: mask > 0 ? new Uint8Array(s.n * mask).fill(1) : null,
    rewards: new Float32Array(s.n),
    groupRewards: new Float32Array(s.n),
    doneReached: false,
    interrupted: false,
  };
}

/** The steps as a minibatch with the trainer's column names and next observations. */
export function minibatchOf(s: Steps): RewardSignalMinibatch {
  const mb: RewardSignalMinibatch = { continuousRaw: s.continuousRaw, discrete: s.discrete };
  s.obs.forEach((o, k) => (mb[`obs${k}`] = o));
  s.next.forEach((o, k) => (mb[`nextObs${k}`] = o));
  return mb;
}
