import { describe, expect, it } from 'vitest';
import { formatPythonFixed } from '../../trainer/stats/PythonFixedFormat.js';
import { hyperparametersToText } from '../../trainer/stats/HyperparameterText.js';

// Expected strings produced by CPython 3 f"{x:0.3f}" / f"{x:0.1f}" / f"{x:0.0f}".
const PYTHON_CASES: [number, string, string, string][] = [
  [0.0625, '0.062', '0.1', '0'],
  [-0.0625, '-0.062', '-0.1', '-0'],
  [0.125, '0.125', '0.1', '0'],
  [0.00025, '0.000', '0.0', '0'],
  [0.0005, '0.001', '0.0', '0'],
  [0.0015, '0.002', '0.0', '0'],
  [-0.0, '-0.000', '-0.0', '-0'],
  [-0.0001, '-0.000', '-0.0', '-0'],
  [1e21, '1000000000000000000000.000', '1000000000000000000000.0', '1000000000000000000000'],
  [1.5e22, '15000000000000000000000.000', '15000000000000000000000.0', '15000000000000000000000'],
  [123456.7895, '123456.789', '123456.8', '123457'],
  [0.9995, '1.000', '1.0', '1'],
  [1 / 3, '0.333', '0.3', '0'],
  [2.675, '2.675', '2.7', '3'],
  [1e-7, '0.000', '0.0', '0'],
  [NaN, 'nan', 'nan', 'nan'],
  [Infinity, 'inf', 'inf', 'inf'],
  [-Infinity, '-inf', '-inf', '-inf'],
  [1234.5, '1234.500', '1234.5', '1234'],
  [0.5, '0.500', '0.5', '0'],
  [1.5, '1.500', '1.5', '2'],
  [2.5, '2.500', '2.5', '2'],
  [5e-324, '0.000', '0.0', '0'],
];

describe('formatPythonFixed', () => {
  it.each(PYTHON_CASES)('formats %d as Python does', (x, three, one, zero) => {
    expect(formatPythonFixed(x, 3)).toBe(three);
    expect(formatPythonFixed(x, 1)).toBe(one);
    expect(formatPythonFixed(x, 0)).toBe(zero);
  });

  it('rejects a bad digit count with a clear message', () => {
    expect(() => formatPythonFixed(1, -1)).toThrow(/digits is -1; pass an integer from 0 to 20/);
  });
});

describe('hyperparametersToText', () => {
  it('prints settings exactly as ML-Agents _dict_to_str (expected text from CPython)', () => {
    const settings = {
      trainer_type: 'ppo',
      hyperparameters: { batch_size: 64, learning_rate: 0.0003, beta: 5e-5, learning_rate_schedule: 'linear', shared_critic: false },
      network_settings: { normalize: true, memory: null, layers: [128, 'a'] },
      reward_signals: { extrinsic: { gamma: 0.99, strength: 1.5 } },
      init_path: null,
      max_steps: 500000,
    };
    expect(`Hyperparameters for behavior name 3DBall: \n${hyperparametersToText(settings)}`).toBe(
      "Hyperparameters for behavior name 3DBall: \n\ttrainer_type:\tppo\n\thyperparameters:\t\n\t  batch_size:\t64\n\t  learning_rate:\t0.0003\n\t  beta:\t5e-05\n\t  learning_rate_schedule:\tlinear\n\t  shared_critic:\tFalse\n\tnetwork_settings:\t\n\t  normalize:\tTrue\n\t  memory:\tNone\n\t  layers:\t[128, 'a']\n\treward_signals:\t\n\t  extrinsic:\t\n\t    gamma:\t0.99\n\t    strength:\t1.5\n\tinit_path:\tNone\n\tmax_steps:\t500000",
    );
  });

  it('prints floats with Python repr exponents', () => {
    const text = hyperparametersToText({ a: 3e-5, b: 1.5e16, c: 123.456, d: -0.5, e: 1e15 + 0.5, f: 2.5e-4 });
    expect(text).toBe('\ta:\t3e-05\n\tb:\t1.5e+16\n\tc:\t123.456\n\td:\t-0.5\n\te:\t1000000000000000.5\n\tf:\t0.00025');
  });
});
