import { Packr } from 'msgpackr';
import { beforeAll, describe, expect, it } from 'vitest';
import { SeededRandom } from '../../bridge/random/SeededRandom.js';
import type { BehaviorSpec } from '../../bridge/spec/BehaviorSpec.js';
import { selectBackend } from '../../trainer/backend/selectBackend.js';
import { defaultTrainerSettings, RewardSignalsSchema } from '../../trainer/config/schema.js';
import { PpoOptimizer, type PpoBatch } from '../../trainer/ppo/PpoOptimizer.js';
import { PpoTrainer, type PpoTrainerState } from '../../trainer/ppo/PpoTrainer.js';
import { createRewardSignals } from '../../trainer/rewards/createRewardSignals.js';
import { ExtrinsicRewardSignal } from '../../trainer/rewards/ExtrinsicRewardSignal.js';
import type { RewardSignal } from '../../trainer/rewards/RewardSignal.js';
import type { Trajectory } from '../../trainer/trajectory/Trajectory.js';

const spec: BehaviorSpec = {
  name: 'Bandit',
  observations: [{ name: 'state', shape: [2], kind: 'vector' }],
  actions: { continuous: 1, discrete: [2] },
  teamCount: 1,
  maxStep: 0,
};
const AGENTS = 8;
const packr = new Packr({ moreTypes: true, useRecords: false });

/** A contextual bandit whose every step ends an episode (so a restored trainer resumes cleanly): state (i + t) % 2, the matching action earns 1. */
function report(t: number, lastActions: Int32Array | null) {
  const keys = Int32Array.from({ length: AGENTS }, (_, i) => i);
  const obs = new Float32Array(AGENTS * 2);
  for (let i = 0; i < AGENTS; i++) obs[i * 2 + ((i + t) % 2)] = 1;
  const rewards = new Float32Array(AGENTS);
  if (lastActions) for (let i = 0; i < AGENTS; i++) rewards[i] = lastActions[i] === (i + t - 1) % 2 ? 1 : 0;
  const base = { agentKeys: keys, groupRewards: new Float32Array(AGENTS), n: AGENTS };
  const terminals = { ...base, obs: [obs], rewards, interrupted: new Uint8Array(AGENTS) };
  const decisions = { ...base, obs: [obs], rewards: new Float32Array(AGENTS), actionMasks: null };
  return { terminals: lastActions ? terminals : { ...terminals, n: 0, agentKeys: new Int32Array(0) }, decisions };
}

function settings() {
  const s = defaultTrainerSettings();
  s.max_steps = 4000;
  s.time_horizon = 16;
  s.hyperparameters.buffer_size = 64;
  s.hyperparameters.batch_size = 16;
  s.network_settings.hidden_units = 16;
  s.network_settings.num_layers = 1;
  return s;
}

function makeTrainer(signals: RewardSignal[], seed = 11) {
  const optimizer = new PpoOptimizer({ spec, network: settings().network_settings, rewardSignals: signals.map((s) => s.name), seed });
  const rng = new SeededRandom(5);
  const stats: Record<string, number[]> = {};
  const trainer = new PpoTrainer(spec, settings(), optimizer, signals, { add: (k, v) => (stats[k] ??= []).push(v) }, rng);
  return { trainer, optimizer, rng, stats };
}

function intrinsicSignals(seed = 2): RewardSignal[] {
  const config = RewardSignalsSchema.parse({
    extrinsic: {},
    curiosity: { strength: 0.1, network_settings: { hidden_units: 8, num_layers: 1 } },
    rnd: { strength: 0.1, network_settings: { hidden_units: 8, num_layers: 1, normalize: true } },
  });
  return createRewardSignals(spec.name, config, { spec, seed });
}

async function run(trainer: PpoTrainer, from: number, to: number, onActions?: (t: number, a: number[]) => void): Promise<void> {
  let last: Int32Array | null = null;
  for (let t = from; t < to; t++) {
    const r = report(t, last);
    const out = await trainer.step(r.terminals, r.decisions);
    last = out.discrete.slice();
    onActions?.(t, [...out.discrete, ...out.continuous]);
  }
}

/** A signal paying nothing, to see what the trainer bootstraps: only the value after the last step can make its returns non-zero. */
class SilentSignal implements RewardSignal {
  constructor(
    readonly name: string,
    readonly ignoreDone: boolean,
  ) {}
  readonly gamma = 0.9;
  readonly strength = 1;
  evaluate(t: Trajectory): Float32Array {
    return new Float32Array(t.length);
  }
}

describe('PpoTrainer with learning reward signals', () => {
  beforeAll(async () => {
    await selectBackend('wasm');
  });

  it('builds extrinsic, curiosity, rnd in that order and needs the spec for the learning ones', () => {
    expect(intrinsicSignals().map((s) => s.name)).toEqual(['extrinsic', 'curiosity', 'rnd']);
    const config = RewardSignalsSchema.parse({ rnd: {} });
    expect(() => createRewardSignals('Bandit', config)).toThrow(/behaviors\.Bandit\.reward_signals\.rnd: building this signal needs the behavior spec/);
    expect(() => createRewardSignals('Bandit', RewardSignalsSchema.parse({ gail: { demo_path: 'x.demo' } }), { spec, seed: 1 })).toThrow(/reward_signals\.gail/);
  });

  it('updates each learning signal on every minibatch and reports its losses and episode rewards', async () => {
    const signals = intrinsicSignals();
    const rnd = signals.find((s) => s.name === 'rnd')!;
    const calls: number[] = [];
    const update = rnd.update!.bind(rnd);
    rnd.update = (mb, n) => {
      calls.push(n);
      expect(mb.nextObs0).toBeInstanceOf(Float32Array);
      return update(mb, n);
    };
    const evaluated: number[] = [];
    const evaluate = rnd.evaluate.bind(rnd);
    rnd.evaluate = (t) => {
      const r = evaluate(t);
      evaluated.push(r.reduce((a, b) => a + b, 0));
      return r;
    };
    const { trainer, stats } = makeTrainer(signals);
    await run(trainer, 0, 30);
    // buffer 64 / batch 16 = 4 minibatches, 3 epochs: 12 calls per policy update.
    expect(trainer.updates).toBeGreaterThan(0);
    expect(calls).toEqual(new Array(12 * trainer.updates).fill(16));
    expect(stats['Losses/RND Loss']!.length).toBe(trainer.updates);
    expect(stats['Losses/Curiosity Forward Loss']!.length).toBe(trainer.updates);
    expect(stats['Losses/Curiosity Inverse Loss']!.every(Number.isFinite)).toBe(true);
    // One-step episodes: each episode's 'Policy/Rnd Reward' is the sum evaluate() gave its trajectory.
    expect(stats['Policy/Rnd Reward']!.map((v) => Math.fround(v))).toEqual(evaluated.map((v) => Math.fround(v)));
    expect(stats['Policy/Curiosity Reward']!.length).toBe(stats['Environment/Cumulative Reward']!.length);
    expect(stats['Policy/Rnd Value Estimate']!.length).toBeGreaterThan(0);
    expect(stats['Policy/Curiosity Value Estimate']!.length).toBeGreaterThan(0);
  });

  it('bootstraps an ignoreDone signal at a true episode end and no other', async () => {
    const signals = [new ExtrinsicRewardSignal(0.99, 1), new SilentSignal('ends', false), new SilentSignal('continues', true)];
    const { trainer, optimizer } = makeTrainer(signals);
    const batches: PpoBatch[] = [];
    const update = optimizer.update.bind(optimizer);
    optimizer.update = (batch, hp) => {
      batches.push({ ...batch, returns: Object.fromEntries(Object.entries(batch.returns).map(([k, v]) => [k, v.slice()])) });
      return update(batch, hp);
    };
    await run(trainer, 0, 10);
    expect(batches.length).toBeGreaterThan(0);
    for (const b of batches) {
      expect(Array.from(b.returns.ends!)).toEqual(new Array(b.n).fill(0));
      expect(b.returns.continues!.some((r) => r !== 0)).toBe(true);
    }
  });

  it('a trainer restored from its state continues exactly as the original, signal networks included', async () => {
    const a = makeTrainer(intrinsicSignals());
    const taken: { snap: { trainer: PpoTrainerState; learner: Uint8Array; rng: number[]; at: number } | null } = { snap: null };
    let now = 0;
    a.trainer.onUpdate = () => {
      if (a.trainer.updates === 2 && !taken.snap) {
        taken.snap = { trainer: packr.unpack(packr.pack(a.trainer.getState())), learner: packr.pack(a.optimizer.getState()), rng: a.rng.getState(), at: now };
      }
    };
    const after: number[][] = [];
    await run(a.trainer, 0, 40, (t, actions) => {
      now = t + 1;
      if (taken.snap && t >= taken.snap.at) after.push(actions);
    });
    const snap = taken.snap!;
    expect(Object.keys(snap.trainer.signals!)).toEqual(['curiosity', 'rnd']);

    const b = makeTrainer(intrinsicSignals(77));
    b.trainer.setState(snap.trainer);
    b.optimizer.setState(packr.unpack(snap.learner));
    b.rng.setState(snap.rng);
    const replay: number[][] = [];
    await run(b.trainer, snap.at, 40, (_t, actions) => replay.push(actions));
    expect(replay).toEqual(after);
    expect(b.trainer.updates).toBe(a.trainer.updates);
    const weights = (s: PpoTrainerState) => Object.values(s.signals!).flatMap((x) => x.weights.map((w) => Array.from(w)));
    expect(weights(b.trainer.getState())).toEqual(weights(a.trainer.getState()));
  });

  it('keeps the extrinsic-only state as it was and refuses a checkpoint without a configured signal', () => {
    const plain = makeTrainer([new ExtrinsicRewardSignal(0.99, 1)]);
    expect(plain.trainer.getState()).toEqual({ step: 0, updates: 0 });
    const withRnd = makeTrainer(intrinsicSignals());
    expect(() => withRnd.trainer.setState({ step: 10, updates: 1 })).toThrow(/trainer\.signals\.curiosity: the checkpoint holds no state for reward signal 'curiosity'/);
    expect(withRnd.trainer.currentStep).toBe(0);
  });
});
