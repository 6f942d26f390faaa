import * as tf from '@tensorflow/tfjs';
import { Packr } from 'msgpackr';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BehaviorSpec } from '../../bridge/spec/BehaviorSpec.js';
import { SeededRandom } from '../../bridge/random/SeededRandom.js';
import { selectBackend } from '../../trainer/backend/selectBackend.js';
import { PpoOptimizer, type PpoBatch, type PpoLearnerState } from '../../trainer/ppo/PpoOptimizer.js';

const bandit: BehaviorSpec = {
  name: 'Bandit',
  observations: [{ name: 'state', shape: [2], kind: 'vector' }],
  actions: { continuous: 0, discrete: [2] },
  teamCount: 1,
  maxStep: 0,
};

const hybrid: BehaviorSpec = {
  name: 'Hybrid',
  observations: [
    { name: 'a', shape: [5], kind: 'vector' },
    { name: 'b', shape: [3], kind: 'rays' },
  ],
  actions: { continuous: 2, discrete: [3, 2] },
  teamCount: 1,
  maxStep: 0,
};

const HP = { learningRate: 3e-4, beta: 5e-3, epsilon: 0.2 };

function normalized(x: Float32Array): Float32Array {
  let mean = 0;
  for (const v of x) mean += v;
  mean /= x.length;
  let variance = 0;
  for (const v of x) variance += (v - mean) ** 2;
  const sd = Math.sqrt(variance / x.length);
  return x.map((v) => (v - mean) / (sd + 1e-10));
}

/** A one-step contextual bandit: two states (one-hot), reward 1 for the action equal to the state. */
function trainBandit(flipAdvantages: boolean): number {
  const opt = new PpoOptimizer({ spec: bandit, network: { normalize: false, hidden_units: 32, num_layers: 1 }, rewardSignals: ['extrinsic'], seed: 0 });
  const rng = new SeededRandom(1);
  const n = 64;
  for (let iteration = 0; iteration < 30; iteration++) {
    const states = Array.from({ length: n }, () => rng.int(2));
    const obs = new Float32Array(n * 2);
    states.forEach((s, i) => (obs[i * 2 + s] = 1));
    const out = opt.act([obs], null, n);
    const rewards = Float32Array.from(states, (s, i) => (out.discrete[i] === s ? 1 : 0));
    const values = opt.values([obs], n);
    // Episodes last one step: the advantage is r - V, the return is r.
    let advantages = normalized(rewards.map((r, i) => r - values.extrinsic![i]!));
    if (flipAdvantages) advantages = advantages.map((a) => -a);
    const batch: PpoBatch = {
      n, obs: [obs], continuousRaw: new Float32Array(0), discrete: out.discrete, actionMasks: null,
      oldLogProbs: out.logProbs, advantages, returns: { extrinsic: rewards }, oldValues: values,
    };
    for (let epoch = 0; epoch < 3; epoch++) opt.update(batch, { ...HP, learningRate: 3e-3 });
  }
  const probe = opt.act([Float32Array.from([1, 0, 0, 1])], null, 2, true);
  // Accuracy of the stochastic policy too, so a barely-tipped argmax cannot pass.
  const many = 500;
  const obs = new Float32Array(many * 2);
  for (let i = 0; i < many; i++) obs[i * 2 + (i % 2)] = 1;
  const sampled = opt.act([obs], null, many);
  let correct = 0;
  for (let i = 0; i < many; i++) if (sampled.discrete[i] === i % 2) correct++;
  opt.dispose();
  expect(probe.discrete.length).toBe(2);
  return correct / many;
}

function hybridBatch(opt: PpoOptimizer, n: number, seed: number): PpoBatch {
  const rng = new SeededRandom(seed);
  const obs = [Float32Array.from({ length: n * 5 }, () => rng.range(-1, 1)), Float32Array.from({ length: n * 3 }, () => rng.range(0, 1))];
  const masks = new Uint8Array(n * 5).fill(1);
  for (let i = 0; i < n; i++) masks[i * 5 + rng.int(3)] = 0;
  const out = opt.act(obs, masks, n);
  const values = opt.values(obs, n);
  return {
    n, obs, continuousRaw: out.continuousRaw, discrete: out.discrete, actionMasks: masks, oldLogProbs: out.logProbs,
    advantages: Float32Array.from({ length: n }, () => rng.normal()),
    returns: { extrinsic: Float32Array.from({ length: n }, () => rng.range(-1, 1)), curiosity: Float32Array.from({ length: n }, () => rng.range(0, 0.1)) },
    oldValues: values,
  };
}

function makeHybrid(seed: number): PpoOptimizer {
  return new PpoOptimizer({ spec: hybrid, network: { normalize: true, hidden_units: 24, num_layers: 2 }, rewardSignals: ['extrinsic', 'curiosity'], seed });
}

describe('PpoOptimizer', () => {
  beforeAll(async () => {
    await selectBackend('wasm');
  });

  it('learns a contextual bandit, and does not with sign-flipped advantages', () => {
    const good = trainBandit(false);
    const broken = trainBandit(true);
    expect(good).toBeGreaterThan(0.9);
    expect(broken).toBeLessThan(0.5);
  });

  it("computes ML-Agents' losses: at ratio 1 the policy loss is -mean(advantage)", () => {
    const opt = makeHybrid(1);
    const batch = hybridBatch(opt, 50, 2);
    const losses = opt.evaluateLosses(batch, HP);
    const meanAdvantage = batch.advantages.reduce((a, b) => a + b, 0) / batch.n;
    expect(losses.policyLoss).toBeCloseTo(-meanAdvantage, 4);
    // Values unchanged since collection: the clipped and unclipped errors coincide.
    let squared = 0;
    for (const name of ['extrinsic', 'curiosity']) {
      for (let i = 0; i < batch.n; i++) squared += (batch.returns[name]![i]! - batch.oldValues[name]![i]!) ** 2;
    }
    expect(losses.valueLoss).toBeCloseTo(squared / (2 * batch.n), 4);
    expect(losses.loss).toBeCloseTo(losses.policyLoss + 0.5 * losses.valueLoss - HP.beta * losses.entropy, 5);
    const stats = opt.update(batch, HP);
    expect(stats['Losses/Policy Loss']).toBeCloseTo(Math.abs(losses.policyLoss), 5);
    expect(stats['Losses/Value Loss']).toBeCloseTo(losses.valueLoss, 5);
    // After a step the ratios move away from 1 and the losses change.
    expect(opt.evaluateLosses(batch, HP).loss).not.toBeCloseTo(losses.loss, 6);
    opt.dispose();
  });

  it("gives the log probs act gave for its own actions, and a stale batch's proximal loss at ratio 1", () => {
    const opt = makeHybrid(4);
    const batch = hybridBatch(opt, 30, 5);
    const again = opt.actionLogProbs(batch);
    expect(again.length).toBe(batch.oldLogProbs.length);
    batch.oldLogProbs.forEach((v, i) => expect(again[i]).toBeCloseTo(v, 5));
    // The policy moves on; the batch now lags behind it.
    for (let i = 0; i < 5; i++) opt.update(batch, { ...HP, learningRate: 1e-2 });
    const proximalLogProbs = opt.actionLogProbs(batch);
    const losses = opt.evaluateLosses({ ...batch, proximalLogProbs }, HP);
    // At the proximal policy every ratio is 1: the loss is -mean(proximal / behavior x advantage).
    let expected = 0;
    const width = proximalLogProbs.length / batch.n;
    proximalLogProbs.forEach((p, k) => (expected -= Math.exp(p - batch.oldLogProbs[k]!) * batch.advantages[Math.floor(k / width)]!));
    expect(losses.policyLoss).toBeCloseTo(expected / proximalLogProbs.length, 4);
    expect(losses.policyLoss).not.toBeCloseTo(opt.evaluateLosses(batch, HP).policyLoss, 3);
    expect(() => opt.update({ ...batch, proximalLogProbs: new Float32Array(3) }, HP)).toThrow(/batch\.proximalLogProbs \(n x 4: 2 continuous \+ 2 branches\): expected a Float32Array of 120, got Float32Array of 3/);
    opt.dispose();
  });

  it('saves and restores everything: same actions, bit-identical next update', () => {
    const a = makeHybrid(3);
    const batch = hybridBatch(a, 40, 4);
    a.updateNormalizer(batch.obs, batch.n);
    for (let i = 0; i < 3; i++) a.update(batch, HP);
    // Through msgpack as the checkpoint store writes it.
    const packr = new Packr({ moreTypes: true, useRecords: false });
    const saved = packr.unpack(packr.pack(a.getState())) as PpoLearnerState;

    const b = makeHybrid(99);
    b.setState(saved);
    const probe = hybridBatch(makeHybrid(5), 10, 6);
    expect(b.act(probe.obs, probe.actionMasks, 10, true)).toEqual(a.act(probe.obs, probe.actionMasks, 10, true));
    expect(b.act(probe.obs, probe.actionMasks, 10)).toEqual(a.act(probe.obs, probe.actionMasks, 10));
    expect(b.values(probe.obs, 10)).toEqual(a.values(probe.obs, 10));
    expect(b.update(batch, HP)).toEqual(a.update(batch, HP));
    const sa = a.getState();
    const sb = b.getState();
    expect(sb.adam.step).toBe(sa.adam.step);
    sa.networks.weights.forEach((w, i) => expect(Buffer.from(sb.networks.weights[i]!.buffer).equals(Buffer.from(w.buffer))).toBe(true));
    sa.adam.m.forEach((m, i) => expect(Buffer.from(sb.adam.m[i]!.buffer).equals(Buffer.from(m.buffer))).toBe(true));
    expect(sb.networks.normalizer).toEqual(sa.networks.normalizer);
    a.dispose();
    b.dispose();
  });

  it('refuses a state made for another network, naming the mismatch', () => {
    const a = makeHybrid(1);
    const other = new PpoOptimizer({ spec: hybrid, network: { normalize: true, hidden_units: 16, num_layers: 2 }, rewardSignals: ['extrinsic', 'curiosity'], seed: 1 });
    expect(() => other.setState(a.getState())).toThrow(/learner\.networks\.variables\[0\]: expected actor\.body\.0\.kernel \[8, 16\], got actor\.body\.0\.kernel \[8, 24\]/);
    expect(() => other.setState({ format: 'nope' } as unknown as PpoLearnerState)).toThrow(/learner state: expected format/);
    a.dispose();
    other.dispose();
  });

  it('does not leak tensors across act, values, normalizer updates, updates and state round trips', () => {
    const start = tf.memory().numTensors;
    const opt = makeHybrid(7);
    const batch = hybridBatch(opt, 30, 8);
    const cycle = () => {
      opt.act(batch.obs, batch.actionMasks, batch.n);
      opt.act(batch.obs, null, batch.n, true);
      opt.values(batch.obs, batch.n);
      opt.updateNormalizer(batch.obs, batch.n);
      opt.update(batch, HP);
      opt.evaluateLosses(batch, HP);
      opt.setState(opt.getState());
    };
    cycle();
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) cycle();
    expect(tf.memory().numTensors).toBe(before);
    expect(() => opt.update({ ...batch, advantages: new Float32Array(3) }, HP)).toThrow();
    expect(tf.memory().numTensors).toBe(before);
    opt.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });

  it('names the field and the fix for a bad minibatch', () => {
    const opt = makeHybrid(1);
    const batch = hybridBatch(opt, 4, 2);
    expect(() => opt.update({ ...batch, oldLogProbs: new Float32Array(8) }, HP)).toThrow(/batch\.oldLogProbs \(n x 4: 2 continuous \+ 2 branches\): expected a Float32Array of 16, got Float32Array of 8/);
    expect(() => opt.update({ ...batch, returns: { extrinsic: batch.returns.extrinsic! } }, HP)).toThrow(/batch\.returns\.curiosity: expected a Float32Array of 4, got undefined/);
    expect(() => opt.update({ ...batch, discrete: Int32Array.from([0, 0, 3, 0, 0, 0, 0, 0]) }, HP)).toThrow(/batch\.discrete\[2\] \(row 1, branch 0\): expected an action in 0\.\.2, got 3/);
    expect(() => opt.update(batch, { ...HP, epsilon: 0 })).toThrow(/hyperparameters\.epsilon: expected a finite number > 0/);
    opt.dispose();
  });
});
