/**
 * What intrinsic reward signals cost next to the PPO update they ride along, at Pyramids' size
 * (observations 3 x 56 rays + 4 = 172, one branch of 5, batch_size 128, time_horizon 128):
 * PyramidsRND's RND (64 units x 3 layers), a Pyramids curiosity config (256 units x 2 layers) and
 * the policy's own PPO minibatch update (512 x 2, ML-Agents' Pyramids network) on the WASM backend.
 *
 * "evaluate" scores one 128-step trajectory (once per trajectory in training); "update" is one
 * minibatch step (num_epoch x buffer_size / batch_size of them per policy update).
 *
 *   npm run bench:rewards [-- --repeats 30]
 */
import { parseArgs } from 'node:util';
import { SeededRandom } from '../bridge/random/SeededRandom.js';
import type { BehaviorSpec } from '../bridge/spec/BehaviorSpec.js';
import { selectBackend } from '../trainer/backend/selectBackend.js';
import { CuriositySettingsSchema, RndSettingsSchema } from '../trainer/config/schema.js';
import { PpoOptimizer } from '../trainer/ppo/PpoOptimizer.js';
import { CuriosityRewardSignal } from '../trainer/rewards/CuriosityRewardSignal.js';
import type { RewardSignal, RewardSignalMinibatch } from '../trainer/rewards/RewardSignal.js';
import { RndRewardSignal } from '../trainer/rewards/RndRewardSignal.js';
import type { Trajectory } from '../trainer/trajectory/Trajectory.js';

const { values: args } = parseArgs({ options: { repeats: { type: 'string', default: '30' } } });
const REPEATS = Number(args.repeats);
if (!Number.isInteger(REPEATS) || REPEATS < 1) throw new Error(`--repeats: expected an integer >= 1, got ${args.repeats}`);
const N = 128;

const pyramids: BehaviorSpec = {
  name: 'Pyramids',
  observations: [
    { name: 'rays_0', shape: [56], kind: 'rays' },
    { name: 'rays_1', shape: [56], kind: 'rays' },
    { name: 'rays_2', shape: [56], kind: 'rays' },
    { name: 'state', shape: [4], kind: 'vector' },
  ],
  actions: { continuous: 0, discrete: [5] },
  teamCount: 1,
  maxStep: 5000,
};

const rng = new SeededRandom(1);
const rows = (n: number) => pyramids.observations.map((o) => Float32Array.from({ length: n * o.shape[0]! }, () => (rng.next() < 0.7 ? 0 : rng.next())));
const obs = rows(N);
const next = rows(N);
const discrete = Int32Array.from({ length: N }, () => rng.int(5));
const trajectory: Trajectory = {
  agentKey: 0,
  length: N,
  obs,
  nextObs: next.map((col, k) => col.slice((N - 1) * pyramids.observations[k]!.shape[0]!, N * pyramids.observations[k]!.shape[0]!)),
  continuousRaw: new Float32Array(0),
  discrete,
  logProbs: new Float32Array(N),
  actionMasks: new Uint8Array(N * 5).fill(1),
  rewards: new Float32Array(N),
  groupRewards: new Float32Array(N),
  doneReached: false,
  interrupted: false,
};
const minibatch: RewardSignalMinibatch = { continuousRaw: new Float32Array(0), discrete };
obs.forEach((o, k) => (minibatch[`obs${k}`] = o));
next.forEach((o, k) => (minibatch[`nextObs${k}`] = o));

function timeIt(fn: () => void): number {
  fn();
  fn();
  const t0 = performance.now();
  for (let i = 0; i < REPEATS; i++) fn();
  return (performance.now() - t0) / REPEATS;
}

const backend = await selectBackend('wasm');
const signals: [string, RewardSignal][] = [
  ['rnd 64x3 (PyramidsRND)', new RndRewardSignal(pyramids, RndSettingsSchema.parse({ strength: 0.01, network_settings: { hidden_units: 64, num_layers: 3 } }), 1)],
  ['curiosity 256x2', new CuriosityRewardSignal(pyramids, CuriositySettingsSchema.parse({ strength: 0.02, network_settings: { hidden_units: 256 } }), 1)],
];
const table: { what: string; 'evaluate 128 steps (ms)': string; 'update 128 rows (ms)': string }[] = [];
for (const [what, signal] of signals) {
  const update = timeIt(() => signal.update!(minibatch, N));
  const evaluate = timeIt(() => signal.evaluate(trajectory));
  table.push({ what, 'evaluate 128 steps (ms)': evaluate.toFixed(2), 'update 128 rows (ms)': update.toFixed(2) });
  signal.dispose?.();
}
const ppo = new PpoOptimizer({ spec: pyramids, network: { normalize: false, hidden_units: 512, num_layers: 2 }, rewardSignals: ['extrinsic', 'rnd'], seed: 1 });
const acted = ppo.act(obs, null, N);
const batch = {
  n: N,
  obs,
  continuousRaw: new Float32Array(0),
  discrete: acted.discrete,
  actionMasks: null,
  oldLogProbs: acted.logProbs,
  advantages: Float32Array.from({ length: N }, () => rng.normal()),
  returns: { extrinsic: new Float32Array(N), rnd: new Float32Array(N) },
  oldValues: { extrinsic: new Float32Array(N), rnd: new Float32Array(N) },
};
const hp = { learningRate: 3e-4, beta: 0.01, epsilon: 0.2 };
table.push({ what: 'PPO policy 512x2 (for scale)', 'evaluate 128 steps (ms)': timeIt(() => ppo.values(obs, N)).toFixed(2), 'update 128 rows (ms)': timeIt(() => ppo.update(batch, hp)).toFixed(2) });
ppo.dispose();

console.log(`backend ${backend}, ${REPEATS} repeats; PPO "evaluate" is its value estimate of the trajectory`);
console.table(table);
