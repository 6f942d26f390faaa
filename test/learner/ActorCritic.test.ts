import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BehaviorSpec } from '../../bridge/spec/BehaviorSpec.js';
import { SeededRandom } from '../../bridge/random/SeededRandom.js';
import { selectBackend } from '../../trainer/backend/selectBackend.js';
import { ActorCritic } from '../../trainer/networks/ActorCritic.js';
import { Normalizer } from '../../trainer/networks/Normalizer.js';

const hybrid: BehaviorSpec = {
  name: 'Hybrid',
  observations: [
    { name: 'rays', shape: [2, 3], kind: 'rays' },
    { name: 'state', shape: [2], kind: 'vector' },
  ],
  actions: { continuous: 2, discrete: [4, 3] },
  teamCount: 1,
  maxStep: 0,
};

function randomObs(spec: BehaviorSpec, n: number, rng: SeededRandom): Float32Array[] {
  return spec.observations.map((o) => Float32Array.from({ length: n * o.shape.reduce((a, b) => a * b, 1) }, () => rng.range(-2, 2)));
}

function std(values: Float32Array): number {
  let m = 0;
  for (const v of values) m += v;
  m /= values.length;
  let s = 0;
  for (const v of values) s += (v - m) ** 2;
  return Math.sqrt(s / values.length);
}

describe('ActorCritic', () => {
  beforeAll(async () => {
    await selectBackend('wasm');
  });

  it("initialises weights with ML-Agents' schemes and scales", () => {
    const spec: BehaviorSpec = { ...hybrid, observations: [{ name: 'v', shape: [300], kind: 'vector' }] };
    const net = new ActorCritic({ spec, network: { normalize: false, hidden_units: 256, num_layers: 2 }, rewardSignals: ['extrinsic', 'curiosity'], seed: 3 });
    const state = net.getState();
    const byName = new Map(state.meta.variables.map((v, i) => [v.name, state.weights[i]!]));
    expect(state.meta.variables.map((v) => v.name)).toEqual([
      'actor.body.0.kernel', 'actor.body.0.bias', 'actor.body.1.kernel', 'actor.body.1.bias',
      'continuous.mu.kernel', 'continuous.mu.bias', 'continuous.logSigma',
      'discrete.0.kernel', 'discrete.0.bias', 'discrete.1.kernel', 'discrete.1.bias',
      'critic.body.0.kernel', 'critic.body.0.bias', 'critic.body.1.kernel', 'critic.body.1.bias',
      'value.extrinsic.kernel', 'value.extrinsic.bias', 'value.curiosity.kernel', 'value.curiosity.bias',
    ]);
    // KaimingHeNormal (linear): std = gain / sqrt(fan_in).
    expect(std(byName.get('actor.body.0.kernel')!)).toBeCloseTo(1 / Math.sqrt(300), 2);
    expect(std(byName.get('critic.body.1.kernel')!) * Math.sqrt(256)).toBeCloseTo(1, 1);
    expect(std(byName.get('continuous.mu.kernel')!) * Math.sqrt(256)).toBeCloseTo(0.2, 1);
    expect(std(byName.get('discrete.0.kernel')!) * Math.sqrt(256)).toBeCloseTo(0.1, 1);
    // XavierGlorotUniform for value heads: U(-b, b), b = sqrt(6 / (fan_in + fan_out)), std b / sqrt(3).
    const bound = Math.sqrt(6 / 257);
    const value = byName.get('value.extrinsic.kernel')!;
    expect(Math.max(...value.map(Math.abs))).toBeLessThanOrEqual(bound);
    expect(std(value) / (bound / Math.sqrt(3))).toBeCloseTo(1, 1);
    for (const [name, w] of byName) if (name.endsWith('.bias') || name.endsWith('logSigma')) expect(w.every((x) => x === 0)).toBe(true);
    net.dispose();
  });

  it('is reproducible for a seed and differs between seeds', () => {
    const make = (seed: number) => new ActorCritic({ spec: hybrid, network: { normalize: false, hidden_units: 16, num_layers: 1 }, rewardSignals: ['extrinsic'], seed });
    const [a, b, c] = [make(1), make(1), make(2)];
    const obs = randomObs(hybrid, 5, new SeededRandom(0));
    const ra = a.act(obs, null, 5);
    const rb = b.act(obs, null, 5);
    const rc = c.act(obs, null, 5);
    expect(rb).toEqual(ra);
    expect(rc.continuousRaw).not.toEqual(ra.continuousRaw);
    for (const n of [a, b, c]) n.dispose();
  });

  it('never samples a masked action and picks the most probable allowed one when deterministic', () => {
    const net = new ActorCritic({ spec: hybrid, network: { normalize: false, hidden_units: 16, num_layers: 2 }, rewardSignals: ['extrinsic'], seed: 5 });
    const rng = new SeededRandom(9);
    const n = 3000;
    const obs = randomObs(hybrid, n, rng);
    const masks = new Uint8Array(n * 7);
    for (let i = 0; i < n; i++) {
      // Random masks that leave at least one action of each branch allowed.
      for (const [off, k] of [[0, 4], [4, 3]] as const) {
        const keep = rng.int(k);
        for (let j = 0; j < k; j++) masks[i * 7 + off + j] = j === keep || rng.next() < 0.4 ? 1 : 0;
      }
    }
    const counts = [new Array(4).fill(0), new Array(3).fill(0)];
    for (const deterministic of [false, true]) {
      const out = net.act(obs, masks, n, deterministic);
      for (let i = 0; i < n; i++) {
        const a0 = out.discrete[i * 2]!;
        const a1 = out.discrete[i * 2 + 1]!;
        expect(masks[i * 7 + a0]).toBe(1);
        expect(masks[i * 7 + 4 + a1]).toBe(1);
        if (!deterministic) {
          counts[0]![a0]++;
          counts[1]![a1]++;
        }
        // Log probs of chosen actions are those of allowed, non-negligible choices.
        expect(out.logProbs[i * 4 + 2]!).toBeGreaterThan(Math.log(1e-3));
      }
    }
    // Sampling does explore: every action of every branch was drawn somewhere.
    expect(counts.flat().every((c) => c > 0)).toBe(true);

    // State-independent logits [0, 5, 10, 0]: deterministic picks 2, or 1 when 2 is masked.
    tf.tidy(() => {
      const branch = net.discreteHead!.branches[0]!;
      branch.kernel.assign(tf.zerosLike(branch.kernel));
      branch.bias.assign(tf.tensor1d([0, 5, 10, 0]));
    });
    const two = randomObs(hybrid, 2, rng);
    const twoMasks = Uint8Array.from([1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 1, 1, 1, 1]);
    const picked = net.act(two, twoMasks, 2, true).discrete;
    expect([picked[0], picked[2]]).toEqual([2, 1]);
    net.dispose();
  });

  it('clips continuous actions to clamp(a, -3, 3) / 3 and keeps log probs of the raw sample', () => {
    const net = new ActorCritic({ spec: hybrid, network: { normalize: false, hidden_units: 8, num_layers: 1 }, rewardSignals: ['extrinsic'], seed: 6 });
    // A wide Gaussian (sigma = e^1.5 = 4.5) so that many samples fall outside [-3, 3].
    tf.tidy(() => net.continuousHead!.logSigma.assign(tf.fill([1, 2], 1.5)));
    const n = 500;
    const out = net.act(randomObs(hybrid, n, new SeededRandom(2)), null, n);
    let outside = 0;
    for (let i = 0; i < n * 2; i++) {
      const raw = out.continuousRaw[i]!;
      if (Math.abs(raw) > 3) outside++;
      expect(out.continuousClipped[i]).toBeCloseTo(Math.min(3, Math.max(-3, raw)) / 3, 6);
      expect(Math.abs(out.continuousClipped[i]!)).toBeLessThanOrEqual(1);
    }
    expect(outside).toBeGreaterThan(n / 4);
    // Log probs refer to the raw samples: recompute them with the network in training mode.
    const onehot = new Float32Array(n * 7);
    for (let i = 0; i < n; i++) {
      onehot[i * 7 + out.discrete[i * 2]!] = 1;
      onehot[i * 7 + 4 + out.discrete[i * 2 + 1]!] = 1;
    }
    const obs = randomObs(hybrid, n, new SeededRandom(2));
    const rows = new Float32Array(n * 8);
    for (let i = 0; i < n; i++) {
      rows.set(obs[0]!.subarray(i * 6, i * 6 + 6), i * 8);
      rows.set(obs[1]!.subarray(i * 2, i * 2 + 2), i * 8 + 6);
    }
    const replayed = tf.tidy(() => {
      const ev = net.evaluate(tf.tensor2d(rows, [n, 8]), null, tf.tensor2d(out.continuousRaw, [n, 2]), tf.tensor2d(onehot, [n, 7]));
      return [ev.logProbs.dataSync(), ev.entropy.dataSync()];
    });
    for (let i = 0; i < n * 4; i++) expect(replayed[0]![i]).toBeCloseTo(out.logProbs[i]!, 4);
    for (let i = 0; i < n; i++) expect(replayed[1]![i]).toBeCloseTo(out.entropy[i]!, 5);
    net.dispose();
  });

  it('gives one value column per reward signal, a shared critic reading the actor body', () => {
    const rng = new SeededRandom(4);
    const obs = randomObs(hybrid, 3, rng);
    for (const sharedCritic of [false, true]) {
      const net = new ActorCritic({ spec: hybrid, network: { normalize: true, hidden_units: 8, num_layers: 2 }, rewardSignals: ['extrinsic', 'rnd'], sharedCritic, seed: 1 });
      const v = net.values(obs, 3);
      expect(Object.keys(v)).toEqual(['extrinsic', 'rnd']);
      expect(v.extrinsic!.length).toBe(3);
      expect(v.extrinsic).not.toEqual(v.rnd);
      expect(net.criticBody === null).toBe(sharedCritic);
      net.dispose();
    }
  });

  it('names the field and the fix for bad input', () => {
    const net = new ActorCritic({ spec: hybrid, network: { normalize: false, hidden_units: 8, num_layers: 1 }, rewardSignals: ['extrinsic'], seed: 1 });
    const obs = randomObs(hybrid, 2, new SeededRandom(1));
    expect(() => net.act([obs[0]!], null, 2)).toThrow(/act\.obs: expected 2 observation arrays \(rays, state\)/);
    expect(() => net.act([obs[0]!, new Float32Array(3)], null, 2)).toThrow(/act\.obs\[1\] \(state\): expected a Float32Array of 2 x 2 = 4/);
    expect(() => net.act(obs, new Uint8Array(5), 2)).toThrow(/act\.actionMasks: expected null or a Uint8Array of 2 x 7/);
    expect(() => new ActorCritic({ spec: hybrid, network: { normalize: false, hidden_units: 0, num_layers: 1 }, rewardSignals: ['extrinsic'], seed: 1 })).toThrow(/network_settings\.hidden_units/);
    expect(() => new ActorCritic({ spec: hybrid, network: { normalize: false, hidden_units: 8, num_layers: 1, memory: { memory_size: 64, sequence_length: 8 } }, rewardSignals: ['extrinsic'], seed: 1 })).toThrow(/network_settings\.memory/);
    expect(() => new ActorCritic({ spec: hybrid, network: { normalize: false, hidden_units: 8, num_layers: 1 }, rewardSignals: [], seed: 1 })).toThrow(/reward_signals/);
    net.dispose();
  });
});

describe('Normalizer', () => {
  beforeAll(async () => {
    await selectBackend('wasm');
  });

  it("keeps ML-Agents' running statistics, independent of how batches are split", () => {
    const rng = new SeededRandom(11);
    const d = 3;
    const rows = Float32Array.from({ length: 40 * d }, () => rng.range(-1, 5));
    const whole = new Normalizer(d);
    whole.update(rows, 40);
    const split = new Normalizer(d);
    split.update(rows.subarray(0, 7 * d), 7);
    split.update(rows.subarray(7 * d), 33);
    const a = whole.getState();
    const b = split.getState();
    expect(a.steps).toBe(41);
    for (let j = 0; j < d; j++) {
      // Starts at steps 1, mean 0, variance 1: mean = sum / (n + 1); variance = 1 + sum of squared deviations incl. the phantom 0.
      let sum = 0;
      for (let i = 0; i < 40; i++) sum += rows[i * d + j]!;
      const mean = sum / 41;
      let m2 = (0 - mean) ** 2;
      for (let i = 0; i < 40; i++) m2 += (rows[i * d + j]! - mean) ** 2;
      expect(a.mean[j]).toBeCloseTo(mean, 10);
      expect(a.variance[j]).toBeCloseTo(1 + m2, 8);
      expect(b.mean[j]).toBeCloseTo(a.mean[j]!, 10);
      expect(b.variance[j]).toBeCloseTo(a.variance[j]!, 8);
    }
    const x = [[100, -100, 2]];
    const y = tf.tidy(() => whole.apply(tf.tensor2d(x)).arraySync()[0]!);
    for (let j = 0; j < d; j++) {
      const expected = Math.max(-5, Math.min(5, (x[0]![j]! - a.mean[j]!) / Math.sqrt(a.variance[j]! / a.steps)));
      expect(y[j]).toBeCloseTo(expected, 4);
    }
    expect(y[0]).toBe(5);
    expect(y[1]).toBe(-5);
    whole.dispose();
    split.dispose();
  });
});
