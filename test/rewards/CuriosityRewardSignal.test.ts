import * as tf from '@tensorflow/tfjs';
import { Packr } from 'msgpackr';
import { beforeAll, describe, expect, it } from 'vitest';
import type { BehaviorSpec } from '../../bridge/spec/BehaviorSpec.js';
import { selectBackend } from '../../trainer/backend/selectBackend.js';
import { CuriositySettingsSchema } from '../../trainer/config/schema.js';
import { CuriosityRewardSignal } from '../../trainer/rewards/CuriosityRewardSignal.js';
import { hybridSpec, minibatchOf, trajectoryOf, worldSteps } from './SignalFixtures.js';

const FORWARD = 'Losses/Curiosity Forward Loss';
const INVERSE = 'Losses/Curiosity Inverse Loss';

function curiosity(overrides: Record<string, unknown> = {}, seed = 3, spec: BehaviorSpec = hybridSpec): CuriosityRewardSignal {
  return new CuriosityRewardSignal(spec, CuriositySettingsSchema.parse({ learning_rate: 1e-3, network_settings: { hidden_units: 32, num_layers: 2 }, ...overrides }), seed);
}

function mean(a: Float32Array | number[]): number {
  return Array.from(a).reduce((s, v) => s + v, 0) / a.length;
}

function weights(signal: CuriosityRewardSignal): number[][] {
  return signal.getState().weights.map((w) => Array.from(w));
}

describe('CuriosityRewardSignal', () => {
  beforeAll(async () => {
    await selectBackend('wasm');
  });

  it('learns the inverse and forward models: both losses fall on a deterministic world', () => {
    const signal = curiosity();
    const steps = worldSteps(hybridSpec, 128, 1);
    const history: Record<string, number>[] = [];
    for (let i = 0; i < 150; i++) history.push(signal.update(minibatchOf(steps), steps.n));
    const first = history.slice(0, 5);
    const last = history.slice(-5);
    for (const h of history) expect(Number.isFinite(h[FORWARD]) && Number.isFinite(h[INVERSE])).toBe(true);
    // Chance for the inverse model: sum of 2 continuous variances (2) + ln 3 + ln 2 (~1.8).
    expect(mean(first.map((h) => h[INVERSE]!))).toBeGreaterThan(3);
    expect(mean(last.map((h) => h[INVERSE]!))).toBeLessThan(mean(first.map((h) => h[INVERSE]!)) * 0.6);
    expect(mean(last.map((h) => h[FORWARD]!))).toBeLessThan(mean(first.map((h) => h[FORWARD]!)) * 0.5);
  });

  it('rewards nothing before its first update, then the forward error, higher for unfamiliar transitions', () => {
    const signal = curiosity({ strength: 1 });
    const seen = worldSteps(hybridSpec, 64, 2);
    const novel = worldSteps(hybridSpec, 64, 3, 2);
    expect(Array.from(signal.evaluate(trajectoryOf(hybridSpec, seen)))).toEqual(new Array(64).fill(0));
    for (let i = 0; i < 100; i++) signal.update(minibatchOf(seen), seen.n);
    const seenRewards = signal.evaluate(trajectoryOf(hybridSpec, seen));
    const novelRewards = signal.evaluate(trajectoryOf(hybridSpec, novel));
    expect(seenRewards.every((r) => Number.isFinite(r) && r >= 0)).toBe(true);
    expect(mean(seenRewards)).toBeGreaterThan(0);
    expect(mean(novelRewards)).toBeGreaterThan(mean(seenRewards) * 3);
  });

  it('caps a scaled reward at 1, as ML-Agents clamps the raw one at 1 / strength', () => {
    const steps = worldSteps(hybridSpec, 32, 4);
    const plain = curiosity({ strength: 1 }, 5);
    plain.update(minibatchOf(steps), steps.n);
    const raw = plain.evaluate(trajectoryOf(hybridSpec, steps));
    // A strength at which half of the raw rewards go over the cap.
    const median = [...raw].sort((x, y) => x - y)[16]!;
    const strong = curiosity({ strength: 1 / median }, 5);
    strong.update(minibatchOf(steps), steps.n);
    const scaled = strong.evaluate(trajectoryOf(hybridSpec, steps));
    raw.forEach((r, i) => expect(scaled[i]).toBeCloseTo(Math.min(r / median, 1), 4));
    expect(Math.max(...scaled)).toBe(1);
    expect(Math.min(...scaled)).toBeLessThan(0.99);
  });

  it('stores next observations: each row the following step, the last one the trajectory next observation', () => {
    const steps = worldSteps(hybridSpec, 5, 6);
    const t = trajectoryOf(hybridSpec, steps);
    const cols = curiosity().columnsFor(t);
    expect(Object.keys(cols)).toEqual(['nextObs0', 'nextObs1']);
    expect(Array.from(cols.nextObs0!)).toEqual(Array.from(steps.next[0]!));
    expect(Array.from(cols.nextObs1!)).toEqual(Array.from(steps.next[1]!));
  });

  it('trains with continuous-only and discrete-only action spaces', () => {
    for (const actions of [{ continuous: 3, discrete: [] }, { continuous: 0, discrete: [4] }]) {
      const spec: BehaviorSpec = { ...hybridSpec, actions };
      const signal = curiosity({}, 1, spec);
      const steps = worldSteps(spec, 32, 7);
      const stats = signal.update(minibatchOf(steps), steps.n);
      expect(Number.isFinite(stats[FORWARD]) && stats[INVERSE]! > 0).toBe(true);
      expect(signal.evaluate(trajectoryOf(spec, steps)).every(Number.isFinite)).toBe(true);
    }
  });

  it('restores networks, optimiser and its updated flag exactly through a msgpack checkpoint', () => {
    const a = curiosity({ strength: 0.5 }, 7);
    const steps = worldSteps(hybridSpec, 32, 8);
    for (let i = 0; i < 3; i++) a.update(minibatchOf(steps), steps.n);
    const packr = new Packr({ moreTypes: true, useRecords: false });
    const b = curiosity({ strength: 0.5 }, 99);
    b.setState(packr.unpack(packr.pack(a.getState())), 'trainer.signals.curiosity');
    expect(weights(b)).toEqual(weights(a));
    const more = worldSteps(hybridSpec, 32, 9);
    // A fresh signal rewards nothing; the restored one knows it has already learned.
    expect(Array.from(b.evaluate(trajectoryOf(hybridSpec, more)))).toEqual(Array.from(a.evaluate(trajectoryOf(hybridSpec, more))));
    expect(mean(b.evaluate(trajectoryOf(hybridSpec, more)))).toBeGreaterThan(0);
    expect(b.update(minibatchOf(more), more.n)).toEqual(a.update(minibatchOf(more), more.n));
    expect(weights(b)).toEqual(weights(a));
  });

  it('takes encoding_size as the encoder width only when network_settings keeps the default width', () => {
    const fromEncoding = curiosity({ encoding_size: 24, network_settings: undefined });
    expect(fromEncoding.network.encoder.outputSize).toBe(24);
    const fromSettings = curiosity({ encoding_size: 24, network_settings: { hidden_units: 40 } });
    expect(fromSettings.network.encoder.outputSize).toBe(40);
  });

  it('leaves no tensors behind, with or without normalisation, and frees its own on dispose', () => {
    for (const normalize of [false, true]) {
      const start = tf.memory().numTensors;
      const signal = curiosity({ strength: 0.5, network_settings: { hidden_units: 8, num_layers: 2, normalize } });
      const steps = worldSteps(hybridSpec, 16, 3);
      signal.update(minibatchOf(steps), steps.n);
      const settled = tf.memory().numTensors;
      for (let i = 0; i < 3; i++) {
        signal.update(minibatchOf(steps), steps.n);
        signal.evaluate(trajectoryOf(hybridSpec, steps));
        signal.getState();
      }
      expect(tf.memory().numTensors).toBe(settled);
      signal.dispose();
      expect(tf.memory().numTensors).toBe(start);
    }
  });
});
