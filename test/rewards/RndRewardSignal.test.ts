import * as tf from '@tensorflow/tfjs';
import { Packr } from 'msgpackr';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectBackend } from '../../trainer/backend/selectBackend.js';
import { RndSettingsSchema } from '../../trainer/config/schema.js';
import { RndRewardSignal } from '../../trainer/rewards/RndRewardSignal.js';
import { hybridSpec, minibatchOf, trajectoryOf, worldSteps } from './SignalFixtures.js';

function rnd(overrides: Record<string, unknown> = {}, seed = 3): RndRewardSignal {
  return new RndRewardSignal(hybridSpec, RndSettingsSchema.parse({ learning_rate: 1e-3, network_settings: { hidden_units: 32, num_layers: 2 }, ...overrides }), seed);
}

function mean(a: Float32Array): number {
  return a.reduce((s, v) => s + v, 0) / a.length;
}

function weights(signal: RndRewardSignal): number[][] {
  return signal.getState().weights.map((w) => Array.from(w));
}

describe('RndRewardSignal', () => {
  beforeAll(async () => {
    await selectBackend('wasm');
  });

  it('trains the predictor towards the fixed target: seen states lose their reward, novel ones keep it', () => {
    const signal = rnd();
    const seen = worldSteps(hybridSpec, 64, 1);
    const novel = worldSteps(hybridSpec, 64, 2, 2.5);
    const targetBefore = signal.target.variables.map((v) => Array.from(v.dataSync()));
    const predictorBefore = signal.predictor.variables.map((v) => Array.from(v.dataSync()));
    const seenBefore = mean(signal.evaluate(trajectoryOf(hybridSpec, seen)));
    const novelBefore = mean(signal.evaluate(trajectoryOf(hybridSpec, novel)));
    const losses: number[] = [];
    for (let i = 0; i < 150; i++) losses.push(signal.update(minibatchOf(seen), seen.n)['Losses/RND Loss']!);
    const seenAfter = mean(signal.evaluate(trajectoryOf(hybridSpec, seen)));
    const novelAfter = mean(signal.evaluate(trajectoryOf(hybridSpec, novel)));

    expect(signal.target.variables.map((v) => Array.from(v.dataSync()))).toEqual(targetBefore);
    expect(signal.predictor.variables.map((v) => Array.from(v.dataSync()))).not.toEqual(predictorBefore);
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses.at(-1)!).toBeLessThan(losses[0]! * 0.2);
    // The loss is the mean of the unscaled rewards (strength 1) on the same steps.
    expect(Math.abs(losses[0]! - seenBefore) / seenBefore).toBeLessThan(1e-3);
    expect(seenAfter).toBeLessThan(seenBefore * 0.2);
    expect(novelAfter).toBeGreaterThan(seenAfter * 5);
    expect(novelBefore).toBeGreaterThan(0);
  });

  it('scales rewards by strength; they are finite and never negative', () => {
    const steps = trajectoryOf(hybridSpec, worldSteps(hybridSpec, 20, 4));
    const one = rnd({ strength: 1 }).evaluate(steps);
    const small = rnd({ strength: 0.01 }).evaluate(steps);
    expect(one.every((r) => Number.isFinite(r) && r >= 0)).toBe(true);
    expect(mean(one)).toBeGreaterThan(0);
    small.forEach((r, i) => expect(r).toBeCloseTo(one[i]! * 0.01, 6));
  });

  it('normalises observations with its own running statistics when network_settings.normalize is on', () => {
    const signal = rnd({ network_settings: { hidden_units: 32, num_layers: 2, normalize: true } });
    const far = trajectoryOf(hybridSpec, worldSteps(hybridSpec, 32, 5, 100));
    const first = signal.evaluate(far);
    // After the statistics take in these observations, they are centred and scaled to the usual range.
    const second = signal.evaluate(far);
    expect(signal.getState().normalizer!.steps).toBe(1 + 64);
    expect(first.every(Number.isFinite) && second.every(Number.isFinite)).toBe(true);
    expect(mean(second)).not.toBeCloseTo(mean(first), 3);
  });

  it('restores its networks, optimiser and normaliser exactly through a msgpack checkpoint', () => {
    const settings = { network_settings: { hidden_units: 16, num_layers: 1, normalize: true } };
    const a = rnd(settings, 7);
    const steps = worldSteps(hybridSpec, 32, 6);
    a.evaluate(trajectoryOf(hybridSpec, steps));
    for (let i = 0; i < 3; i++) a.update(minibatchOf(steps), steps.n);
    const packr = new Packr({ moreTypes: true, useRecords: false });
    const b = rnd(settings, 99);
    expect(weights(b)).not.toEqual(weights(a));
    b.setState(packr.unpack(packr.pack(a.getState())), 'trainer.signals.rnd');
    expect(weights(b)).toEqual(weights(a));
    // Adam's moments came along: the next updates stay identical.
    const more = worldSteps(hybridSpec, 32, 8);
    expect(b.update(minibatchOf(more), more.n)).toEqual(a.update(minibatchOf(more), more.n));
    expect(weights(b)).toEqual(weights(a));
    expect(Array.from(b.evaluate(trajectoryOf(hybridSpec, more)))).toEqual(Array.from(a.evaluate(trajectoryOf(hybridSpec, more))));
  });

  it('refuses a state of another shape or signal, naming the field', () => {
    const a = rnd({ network_settings: { hidden_units: 16, num_layers: 1 } });
    const wider = rnd({ network_settings: { hidden_units: 32, num_layers: 1 } });
    expect(() => wider.setState(a.getState(), 'trainer.signals.rnd')).toThrow(/trainer\.signals\.rnd\.weights\[0\]: expected a Float32Array of 192/);
    expect(() => a.setState({ ...a.getState(), signal: 'curiosity' }, 'trainer.signals.rnd')).toThrow(/belongs to reward signal 'curiosity'/);
    const normalized = rnd({ network_settings: { hidden_units: 16, num_layers: 1, normalize: true } });
    expect(() => normalized.setState(a.getState(), 'trainer.signals.rnd')).toThrow(/normalize false but the config now says true/);
  });

  it('names a missing minibatch column', () => {
    const signal = rnd();
    expect(() => signal.update({}, 4)).toThrow(/minibatch\.obs0: expected a Float32Array of 16, got nothing/);
  });

  it('leaves no tensors behind, with or without normalisation, and frees its own on dispose', () => {
    for (const normalize of [false, true]) {
      const start = tf.memory().numTensors;
      const signal = rnd({ strength: 0.5, network_settings: { hidden_units: 8, num_layers: 2, normalize } });
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
