import { describe, expect, it } from 'vitest';
import { parseRunOptions } from '../../trainer/config/index.js';

const behavior = (body: string) => parseRunOptions(`behaviors:\n  A:\n${body}\n`, 'numbers.yaml', {}, { onWarning: () => {} }).behaviors.A;

describe('numbers as ML-Agents users write them', () => {
  it('exponent forms for integer keys: 2e6, 2.0e6, 1e5, 5.0E5', () => {
    expect(behavior('    max_steps: 2e6').max_steps).toBe(2000000);
    expect(behavior('    max_steps: 2.0e6').max_steps).toBe(2000000);
    expect(behavior('    summary_freq: 1e5').summary_freq).toBe(100000);
    expect(behavior('    checkpoint_interval: 5.0E5').checkpoint_interval).toBe(500000);
    expect(behavior('    hyperparameters: {buffer_size: 2.048e3}').hyperparameters.buffer_size).toBe(2048);
  });

  it('float forms: 3.0e-4, 3e-4, 1.0e-3, .5', () => {
    expect(behavior('    hyperparameters: {learning_rate: 3.0e-4}').hyperparameters.learning_rate).toBeCloseTo(0.0003, 12);
    expect(behavior('    hyperparameters: {learning_rate: 3e-4}').hyperparameters.learning_rate).toBeCloseTo(0.0003, 12);
    expect(behavior('    hyperparameters: {beta: 1.0e-3}').hyperparameters.beta).toBeCloseTo(0.001, 12);
    expect(behavior('    hyperparameters: {epsilon: .5}').hyperparameters.epsilon).toBe(0.5);
  });

  it('PyYAML integer forms: 1_000_000 and +64', () => {
    expect(behavior('    max_steps: 1_000_000').max_steps).toBe(1000000);
    expect(behavior('    time_horizon: +64').time_horizon).toBe(64);
  });

  it('integers that must be integers are checked', () => {
    expect(() => behavior('    time_horizon: 64.5')).toThrow(/behaviors\.A\.time_horizon: expected an integer, got 64\.5/);
    expect(() => behavior('    max_steps: 2.5e-1')).toThrow(/behaviors\.A\.max_steps: expected an integer, got 0\.25/);
  });

  it('infinity and NaN are refused', () => {
    expect(() => behavior('    hyperparameters: {learning_rate: .inf}')).toThrow(/learning_rate/);
    expect(() => behavior('    hyperparameters: {beta: .nan}')).toThrow(/beta/);
  });

  it('numbers where text is expected become text, as in ML-Agents', () => {
    const options = parseRunOptions('behaviors: {A: {}}\ncheckpoint_settings: {run_id: 42}\n', 't.yaml');
    expect(options.checkpoint_settings.run_id).toBe('42');
  });
});
