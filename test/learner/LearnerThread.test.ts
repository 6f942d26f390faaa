/**
 * threaded: true runs updates on a learner thread. The thread must give the trainer's networks
 * what an update on the trainer's own thread gives, and fail loudly when it cannot.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { SeededRandom } from '../../bridge/random/SeededRandom.js';
import type { BehaviorSpec } from '../../bridge/spec/BehaviorSpec.js';
import { selectBackend } from '../../trainer/backend/selectBackend.js';
import { defaultTrainerSettings, RndSettingsSchema } from '../../trainer/config/schema.js';
import { createPpoLearner, type PpoLearnerParts } from '../../trainer/ppo/createPpoLearner.js';
import { LearnerThread } from '../../trainer/ppo/LearnerThread.js';
import { createPolicyUpdateBuffer, policyUpdateSteps } from '../../trainer/ppo/PolicyUpdate.js';
import { UpdateBuffer } from '../../trainer/trajectory/UpdateBuffer.js';

const spec: BehaviorSpec = {
  name: 'Grid',
  observations: [{ name: 'cells', shape: [6], kind: 'vector' }],
  actions: { continuous: 0, discrete: [3] },
  teamCount: 1,
  maxStep: 0,
};
const ROWS = 40;
const CURRENT = { learningRate: 1e-3, beta: 5e-3, epsilon: 0.2 };

function settings() {
  const s = defaultTrainerSettings();
  s.network_settings.hidden_units = 16;
  s.network_settings.num_layers = 2;
  s.network_settings.normalize = true;
  s.hyperparameters.batch_size = 8;
  s.hyperparameters.num_epoch = 2;
  s.reward_signals.rnd = RndSettingsSchema.parse({ gamma: 0.99, strength: 0.01, network_settings: { hidden_units: 8, num_layers: 2 } });
  return s;
}

/** A filled update buffer (the trainer's layout, from createPolicyUpdateBuffer), with actions and log probs from `parts`' policy. */
function experience(parts: PpoLearnerParts): UpdateBuffer {
  const rng = new SeededRandom(5);
  const obs = Float32Array.from({ length: ROWS * 6 }, () => rng.next());
  parts.optimizer.updateNormalizer([obs], ROWS);
  const acted = parts.optimizer.act([obs], null, ROWS);
  const columns: Record<string, Float32Array | Int32Array | Uint8Array> = {
    obs0: obs,
    continuousRaw: new Float32Array(0),
    discrete: acted.discrete,
    actionMasks: new Uint8Array(ROWS * 3).fill(1),
    oldLogProbs: acted.logProbs,
    advantages: Float32Array.from({ length: ROWS }, () => rng.normal()),
  };
  for (const name of ['extrinsic', 'rnd']) {
    columns[`returns.${name}`] = Float32Array.from({ length: ROWS }, () => rng.range(-1, 1));
    columns[`values.${name}`] = Float32Array.from({ length: ROWS }, () => rng.range(-1, 1));
  }
  const buffer = createPolicyUpdateBuffer(spec, parts.rewardSignals);
  buffer.append(ROWS, columns);
  return buffer;
}

/** One policy update of `parts` on `buffer`, as the trainer runs it; returns its stats. */
function runUpdate(buffer: UpdateBuffer, parts: PpoLearnerParts, staleBuffer: boolean, seed: number, current = CURRENT): Record<string, number> {
  const steps = policyUpdateSteps(
    buffer,
    { spec, learner: parts.optimizer, rewardSignals: parts.rewardSignals, batchSize: 8, numEpoch: 2, staleBuffer },
    current,
    new SeededRandom(seed),
  );
  let r = steps.next();
  while (!r.done) r = steps.next();
  return r.value;
}

describe('LearnerThread', () => {
  beforeAll(async () => {
    await selectBackend('wasm', { wasmThreads: 1 });
  });

  it("gives the trainer's networks what a stale-buffer update on its own thread gives, and keeps its normalisers", async () => {
    const s = settings();
    const here = createPpoLearner(spec, s, 3);
    const mirror = createPpoLearner(spec, s, 3);
    // As in a threaded run: the buffer was collected, then an earlier update moved the policy on.
    const bufferHere = experience(here);
    const bufferThere = experience(mirror);
    for (const parts of [here, mirror]) runUpdate(experience(parts), parts, false, 7, { ...CURRENT, learningRate: 3e-2 });
    const samplerBefore = mirror.optimizer.getState().networks.sampler;
    const stepsBefore = here.optimizer.updateSteps;

    const expected = runUpdate(bufferHere, here, true, 11);
    // The policy had moved: the buffer's actions are less likely under it than when they were taken.
    expect(expected['Policy/Behavior Lag KL']).toBeGreaterThan(1e-3);

    const thread = new LearnerThread({ spec, settings: s, seed: 3, backend: 'wasm', optimizer: mirror.optimizer, rewardSignals: mirror.rewardSignals });
    let normalizerMeanwhile = null as ReturnType<typeof mirror.optimizer.getState>['networks']['normalizer'];
    try {
      const pending = thread.update(bufferThere, CURRENT, 11);
      // The games keep playing meanwhile: the trainer's normaliser takes in more observations.
      mirror.optimizer.updateNormalizer([Float32Array.from({ length: 4 * 6 }, (_, i) => i % 5)], 4);
      normalizerMeanwhile = mirror.optimizer.getState().networks.normalizer;
      const stats = await pending;
      expect(Object.keys(stats).sort()).toEqual(Object.keys(expected).sort());
      for (const [k, v] of Object.entries(expected)) expect(stats[k], k).toBeCloseTo(v, 4);
    } finally {
      await thread.close();
    }
    const a = here.optimizer.getState();
    const b = mirror.optimizer.getState();
    expect(b.adam.step).toBe(a.adam.step);
    expect(b.adam.step - stepsBefore).toBe(10); // 5 minibatches x 2 epochs
    a.networks.weights.forEach((w, i) => {
      const other = b.networks.weights[i]!;
      let diff = 0;
      for (let j = 0; j < w.length; j++) diff = Math.max(diff, Math.abs(w[j]! - other[j]!));
      expect(diff, `weights[${i}]`).toBeLessThan(1e-5);
    });
    const rndHere = here.rewardSignals.find((x) => x.name === 'rnd')!.getState!();
    const rndThere = mirror.rewardSignals.find((x) => x.name === 'rnd')!.getState!();
    expect(rndThere.adam.step).toBe(20); // two updates
    rndHere.weights.forEach((w, i) => expect(Math.max(...w.map((x, j) => Math.abs(x - rndThere.weights[i]![j]!)))).toBeLessThan(1e-5));
    // Acting state belongs to the trainer's thread: the sampler is where it was.
    expect(b.networks.sampler).toEqual(samplerBefore);
    expect(b.networks.normalizer).toEqual(normalizerMeanwhile);
    expect(b.networks.normalizer!.steps).toBe(a.networks.normalizer!.steps + 4);
  });

  it('rejects with the thread\'s reason when an update fails, and refuses updates afterwards', async () => {
    const s = settings();
    const mirror = createPpoLearner(spec, s, 3);
    const broken = new UpdateBuffer();
    broken.define('obs0', Float32Array, 6);
    broken.append(2, { obs0: new Float32Array(12) });
    const thread = new LearnerThread({ spec, settings: s, seed: 3, backend: 'wasm', optimizer: mirror.optimizer, rewardSignals: mirror.rewardSignals });
    try {
      await expect(thread.update(broken, CURRENT, 1)).rejects.toThrow(/learner thread of Grid: batch\.continuousRaw \(n x 0 continuous actions\): expected a Float32Array of 0, got undefined/);
      await expect(thread.update(experience(mirror), CURRENT, 1)).rejects.toThrow(/learner thread of Grid/);
    } finally {
      await thread.close();
    }
  });
});
