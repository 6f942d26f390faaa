import { describe, expect, it } from 'vitest';
import { ConfigError, parseRunOptions, type CliOverrides } from '../../trainer/config/index.js';

const file = `behaviors:
  Basic: {}
env_settings:
  env_path: Basic
  num_envs: 2
  seed: 7
  base_port: 6000
engine_settings:
  time_scale: 5
checkpoint_settings:
  run_id: from-file
  results_dir: out
torch_settings:
  backend: cpu
`;

function load(overrides: CliOverrides, yaml = file) {
  const warnings: string[] = [];
  const options = parseRunOptions(yaml, 'cli.yaml', overrides, { onWarning: (w) => warnings.push(w) });
  return { options, warnings };
}

describe('command-line overrides', () => {
  it('leave the file alone when not given', () => {
    const { options } = load({});
    expect(options.checkpoint_settings.run_id).toBe('from-file');
    expect(options.env_settings).toMatchObject({ env_path: 'Basic', num_envs: 2, seed: 7, base_port: 6000 });
    expect(options.engine_settings.time_scale).toBe(5);
    expect(options.torch_settings.backend).toBe('cpu');
  });

  it('win over the file, landing in the ML-Agents sections', () => {
    const { options } = load({
      runId: 'from-cli',
      env: '3DBall',
      numEnvs: 4,
      numAreas: 8,
      seed: 1,
      resume: true,
      force: true,
      inference: true,
      timeScale: 1,
      port: 5010,
      resultsDir: 'elsewhere',
      backend: 'wasm',
      debug: true,
    });
    expect(options.checkpoint_settings).toMatchObject({ run_id: 'from-cli', resume: true, force: true, inference: true, results_dir: 'elsewhere' });
    expect(options.env_settings).toMatchObject({ env_path: '3DBall', num_envs: 4, num_areas: 8, seed: 1, base_port: 5010 });
    expect(options.engine_settings.time_scale).toBe(1);
    expect(options.torch_settings.backend).toBe('wasm');
    expect(options.debug).toBe(true);
  });

  it('fill sections the file does not have', () => {
    const { options } = load({ runId: 'r', numAreas: 3 }, 'behaviors: {A: {}}\n');
    expect(options.checkpoint_settings.run_id).toBe('r');
    expect(options.env_settings.num_areas).toBe(3);
    expect(options.env_settings.base_port).toBe(5004);
  });

  it('take numbers as text, as commander gives them, but keep text options as text', () => {
    const { options } = load({ numEnvs: '3', seed: '-1', timeScale: '2.5', runId: '1e3' });
    expect(options.env_settings.num_envs).toBe(3);
    expect(options.env_settings.seed).toBe(-1);
    expect(options.engine_settings.time_scale).toBe(2.5);
    expect(options.checkpoint_settings.run_id).toBe('1e3');
  });

  it('bad values name the flag', () => {
    try {
      load({ numEnvs: 'many', backend: 'gpu', port: 70000 });
      throw new Error('expected a ConfigError');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      const problems = (e as ConfigError).problems;
      expect(problems.find((p) => p.path === '--num-envs')?.message).toBe('expected a number, got the text "many"');
      expect(problems.find((p) => p.path === '--backend')?.message).toMatch(/expected one of `auto`, `wasm`, `cpu`, `tensorflow`, got the text "gpu"/);
      expect(problems.find((p) => p.path === '--port')?.message).toBe('expected a number <= 65535, got 70000');
    }
  });

  it('--env makes num_envs > 1 valid', () => {
    const yaml = 'behaviors: {A: {}}\nenv_settings: {num_envs: 3}\n';
    expect(() => load({}, yaml)).toThrow(/num_envs 3 asks the trainer to start game processes/);
    expect(load({ env: 'basic' }, yaml).options.env_settings).toMatchObject({ env_path: 'basic', num_envs: 3 });
  });
});

describe('resume vs initialize_from (mlagents-learn precedence)', () => {
  const both = 'behaviors: {A: {}}\ncheckpoint_settings: {resume: true, initialize_from: old}\n';
  it('both in the file: resume wins', () => {
    const { options, warnings } = load({}, both);
    expect(options.checkpoint_settings).toMatchObject({ resume: true, initialize_from: null });
    expect(warnings).toHaveLength(1);
  });
  it('--initialize-from on the command line wins over resume in the file', () => {
    const { options, warnings } = load({ initializeFrom: 'other' }, both);
    expect(options.checkpoint_settings).toMatchObject({ resume: false, initialize_from: 'other' });
    expect(warnings[0]).toContain('resume is ignored');
  });
  it('--resume on the command line wins over initialize_from in the file', () => {
    const { options } = load({ resume: true }, 'behaviors: {A: {}}\ncheckpoint_settings: {initialize_from: old}\n');
    expect(options.checkpoint_settings).toMatchObject({ resume: true, initialize_from: null });
  });
});
