import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadRunOptions, type RunOptions } from '../../trainer/config/index.js';
import { MLAGENTS_FIXTURES } from '../fixtures/mlagentsFixtures.js';

const fixtures = MLAGENTS_FIXTURES;
const configs = fileURLToPath(new URL('../../configs/ppo/', import.meta.url));

function load(file: string): { options: RunOptions; warnings: string[] } {
  const warnings: string[] = [];
  const options = loadRunOptions(join(fixtures, file), {}, { onWarning: (w) => warnings.push(w) });
  return { options, warnings };
}

describe('ML-Agents fixtures load unchanged', () => {
  it('covers every yaml fixture', () => {
    const files = readdirSync(fixtures).filter((f) => f.endsWith('.yaml'));
    expect(files.length).toBeGreaterThanOrEqual(9);
    for (const f of files) expect(() => load(f), f).not.toThrow();
  });

  it('CarterSullivan_SoccerTwos.yaml: poca + self-play + engine/torch sections', () => {
    const { options, warnings } = load('CarterSullivan_SoccerTwos.yaml');
    const b = options.behaviors.SoccerTwos;
    expect(b.trainer_type).toBe('poca');
    expect(b.hyperparameters).toMatchObject({ batch_size: 4096, buffer_size: 40960, beta_schedule: 'linear', epsilon_schedule: 'linear' });
    expect(b.network_settings).toMatchObject({ hidden_units: 512, goal_conditioning_type: 'hyper', deterministic: false, memory: null });
    expect(b.self_play).toEqual({ save_steps: 100000, team_change: 200000, swap_steps: 2000, window: 20, play_against_latest_model_ratio: 0.5, initial_elo: 1200 });
    expect(b.max_steps).toBe(30000000);
    // ML-Agents defaults for what the file leaves out
    expect(b.checkpoint_interval).toBe(500000);
    expect(b.threaded).toBe(false);
    expect(b.even_checkpoints).toBe(false);
    expect(b.behavioral_cloning).toBeNull();
    expect(options.engine_settings).toMatchObject({ time_scale: 20, no_graphics: true, no_graphics_monitor: false });
    expect(options.torch_settings).toEqual({ device: 'cuda', backend: 'auto' });
    expect(options.checkpoint_settings).toMatchObject({ run_id: 'ppo', results_dir: 'results', resume: false });
    expect(warnings.some((w) => w.startsWith('torch_settings.device'))).toBe(true);
  });

  it('Crawler.yaml: beta/epsilon schedules follow learning_rate_schedule, default extrinsic network', () => {
    const b = load('Crawler.yaml').options.behaviors.Crawler;
    expect(b.hyperparameters).toMatchObject({ batch_size: 2048, learning_rate: 0.0003, learning_rate_schedule: 'linear', beta_schedule: 'linear', epsilon_schedule: 'linear', shared_critic: false });
    expect(b.network_settings).toMatchObject({ normalize: true, num_layers: 3, vis_encode_type: 'simple' });
    expect(Object.keys(b.reward_signals)).toEqual(['extrinsic']);
    expect(b.reward_signals.extrinsic).toMatchObject({ gamma: 0.995, strength: 1 });
    expect(b.reward_signals.extrinsic!.network_settings).toMatchObject({ hidden_units: 128, num_layers: 2, normalize: false });
    expect(b).toMatchObject({ max_steps: 10000000, time_horizon: 1000, summary_freq: 30000, keep_checkpoints: 5, init_path: null });
  });

  it('Huggy.yaml: max_steps written as 2e6', () => {
    const b = load('Huggy.yaml').options.behaviors.Huggy;
    expect(b.max_steps).toBe(2000000);
    expect(Number.isInteger(b.max_steps)).toBe(true);
    expect(b).toMatchObject({ checkpoint_interval: 200000, keep_checkpoints: 15, summary_freq: 50000 });
  });

  it('PyramidsRND.yaml: rnd signal with its own network and learning rate', () => {
    const b = load('PyramidsRND.yaml').options.behaviors.Pyramids;
    expect(b.reward_signals.rnd).toMatchObject({ gamma: 0.99, strength: 0.01, learning_rate: 0.0001, encoding_size: null });
    expect(b.reward_signals.rnd!.network_settings).toMatchObject({ hidden_units: 64, num_layers: 3, normalize: false, vis_encode_type: 'simple' });
    expect(b.hyperparameters).toMatchObject({ batch_size: 128, buffer_size: 2048, beta: 0.01 });
    expect(b.max_steps).toBe(3000000);
  });

  it('SnowballTarget.yaml (HF course): threaded: true is honoured, without a warning', () => {
    const { options, warnings } = load('SnowballTarget.yaml');
    const b = options.behaviors.SnowballTarget;
    expect(b).toMatchObject({ threaded: true, keep_checkpoints: 10, checkpoint_interval: 50000, max_steps: 200000, time_horizon: 64 });
    expect(b.hyperparameters).toMatchObject({ learning_rate: 0.0003, num_epoch: 3, epsilon_schedule: 'linear' });
    expect(warnings).toEqual([]);
  });

  it('SoccerTwos.yaml: a constant learning_rate_schedule makes beta and epsilon constant too (ML-Agents rule)', () => {
    const b = load('SoccerTwos.yaml').options.behaviors.SoccerTwos;
    expect(b.hyperparameters).toMatchObject({ learning_rate_schedule: 'constant', beta_schedule: 'constant', epsilon_schedule: 'constant' });
    expect(b.self_play).toMatchObject({ save_steps: 50000, team_change: 200000, window: 10 });
    expect(b.max_steps).toBe(50000000);
  });

  it('Walker.yaml', () => {
    const b = load('Walker.yaml').options.behaviors.Walker;
    expect(b.network_settings).toMatchObject({ hidden_units: 256, num_layers: 3, normalize: true });
    expect(b.reward_signals.extrinsic!.gamma).toBe(0.995);
  });

  it('xenjin450_Pyramids.yaml: curiosity with a partial network_settings, resnet encoder accepted', () => {
    const { options, warnings } = load('xenjin450_Pyramids.yaml');
    const b = options.behaviors.Pyramids;
    expect(b.network_settings.vis_encode_type).toBe('resnet');
    expect(b.reward_signals.curiosity).toMatchObject({ gamma: 0.99, strength: 0.02, learning_rate: 0.0003, encoding_size: null });
    expect(b.reward_signals.curiosity!.network_settings).toMatchObject({ hidden_units: 256, num_layers: 2 });
    expect(warnings.some((w) => w.includes('vis_encode_type'))).toBe(true);
  });

  it('xenjin450_SnowballTarget.configuration.yaml: a full configuration.yaml with nulls meaning default', () => {
    const { options } = load('xenjin450_SnowballTarget.configuration.yaml');
    expect(options.default_settings).toBeNull();
    expect(options.environment_parameters).toBeNull();
    const b = options.behaviors.SnowballTarget;
    expect(b.hyperparameters).toMatchObject({ batch_size: 512, learning_rate: 0.0004, epsilon: 0.3, num_epoch: 5, shared_critic: true });
    expect(b.reward_signals.extrinsic!.network_settings.hidden_units).toBe(128);
    expect(b).toMatchObject({ init_path: null, self_play: null, behavioral_cloning: null, even_checkpoints: false, threaded: true });
    expect(options.env_settings).toEqual({
      env_path: './training-envs-executables/linux/SnowballTarget/SnowballTarget',
      env_args: null,
      base_port: 5005,
      num_envs: 1,
      num_areas: 1,
      timeout_wait: 60,
      seed: -1,
      max_lifetime_restarts: 10,
      restarts_rate_limit_n: 1,
      restarts_rate_limit_period_s: 60,
    });
    expect(options.checkpoint_settings).toMatchObject({ run_id: 'SnowballTargetXenjin450', initialize_from: null, inference: false });
    expect(options.torch_settings).toEqual({ device: null, backend: 'auto' });
    expect(options.debug).toBe(false);
  });
});

describe('configs/ppo shipped with the project', () => {
  it('Basic.yaml', () => {
    const b = loadRunOptions(join(configs, 'Basic.yaml'), {}, { onWarning: () => {} }).behaviors.Basic;
    expect(b.hyperparameters).toMatchObject({ batch_size: 32, buffer_size: 256 });
    expect(b.network_settings).toMatchObject({ hidden_units: 20, num_layers: 1 });
    expect(b.reward_signals.extrinsic!.gamma).toBe(0.9);
    expect(b.time_horizon).toBe(3);
  });

  it('3DBall.yaml (a behavior name that starts with a digit)', () => {
    const b = loadRunOptions(join(configs, '3DBall.yaml'), {}, { onWarning: () => {} }).behaviors['3DBall'];
    expect(b.hyperparameters).toMatchObject({ batch_size: 64, buffer_size: 12000, beta: 0.001, lambd: 0.99 });
    expect(b.network_settings.normalize).toBe(true);
    expect(b.summary_freq).toBe(12000);
  });
});
