import { describe, expect, it } from 'vitest';
import { CONFIG_FEATURES, ConfigError, parseRunOptions } from '../../trainer/config/index.js';

function load(yaml: string) {
  const warnings: string[] = [];
  const options = parseRunOptions(yaml, 'test.yaml', {}, { onWarning: (w) => warnings.push(w) });
  return { options, warnings };
}

function rejection(yaml: string): ConfigError {
  try {
    load(yaml);
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return e as ConfigError;
  }
  throw new Error('expected the configuration to be rejected');
}

const notYet = 'is an ML-Agents feature that three-rl-agents does not support yet';

describe('unsupported ML-Agents features stop with a clear message', () => {
  const cases: Array<[string, string, string]> = [
    ['sac', 'behaviors:\n  A:\n    trainer_type: sac\n    hyperparameters: {tau: 0.005, buffer_init_steps: 0}\n', 'behaviors.A.trainer_type'],
    ['LSTM memory', 'behaviors:\n  A:\n    network_settings:\n      memory: {sequence_length: 64, memory_size: 256}\n', 'behaviors.A.network_settings.memory'],
    ['deterministic', 'behaviors:\n  A:\n    network_settings: {deterministic: true}\n', 'behaviors.A.network_settings.deterministic'],
    ['gail', 'behaviors:\n  A:\n    reward_signals:\n      extrinsic: {}\n      gail: {demo_path: expert.demo}\n', 'behaviors.A.reward_signals.gail'],
    ['behavioral cloning', 'behaviors:\n  A:\n    behavioral_cloning: {demo_path: expert.demo, strength: 0.5}\n', 'behaviors.A.behavioral_cloning'],
    ['memory in a reward signal network', 'behaviors:\n  A:\n    reward_signals:\n      extrinsic:\n        network_settings: {memory: {memory_size: 64}}\n', 'behaviors.A.reward_signals.extrinsic.network_settings.memory'],
    ['memory in default_settings', 'default_settings:\n  network_settings:\n    memory: {}\nbehaviors:\n  A: {}\n', 'default_settings.network_settings.memory'],
  ];
  for (const [name, yaml, path] of cases) {
    it(name, () => {
      const error = rejection(yaml);
      const problem = error.problems.find((p) => p.path === path);
      expect(problem?.message, JSON.stringify(error.problems)).toContain(notYet);
      expect(problem?.line).toBeGreaterThan(0);
      expect(error.message).toContain(notYet);
    });
  }
});

describe('the same keys set to their "off" value load quietly', () => {
  it('memory: null, deterministic: false, behavioral_cloning: null, goal_conditioning_type: hyper, vis_encode_type: simple', () => {
    const { options, warnings } = load(`behaviors:
  A:
    network_settings:
      memory: null
      deterministic: false
      goal_conditioning_type: hyper
      vis_encode_type: simple
    behavioral_cloning: null
    self_play: null
    init_path: null
    threaded: false
`);
    expect(options.behaviors.A.network_settings).toMatchObject({ memory: null, deterministic: false });
    expect(warnings).toEqual([]);
  });

  it('encoders and conditioning that only matter for visual / goal observations load with a warning', () => {
    const { options, warnings } = load('behaviors:\n  A:\n    network_settings: {vis_encode_type: nature_cnn, goal_conditioning_type: none}\n');
    expect(options.behaviors.A.network_settings).toMatchObject({ vis_encode_type: 'nature_cnn', goal_conditioning_type: 'none' });
    expect(warnings).toHaveLength(2);
    expect(warnings[0]).toContain('behaviors.A.network_settings.vis_encode_type: "nature_cnn" has no effect');
  });
});

describe('features parsed and validated for later work', () => {
  it('poca, self_play, curiosity, rnd, init_path, threaded, even_checkpoints', () => {
    const { options } = load(`behaviors:
  Team:
    trainer_type: poca
    self_play: {save_steps: 1000, window: 5}
    reward_signals:
      extrinsic: {gamma: 0.99}
      curiosity: {strength: 0.02, encoding_size: 32}
      rnd: {strength: 0.01}
    init_path: results/old/Team
    threaded: true
    even_checkpoints: true
    keep_checkpoints: 4
    max_steps: 1000000
`);
    const t = options.behaviors.Team;
    expect(t.trainer_type).toBe('poca');
    expect(t.self_play).toMatchObject({ save_steps: 1000, team_change: 5000, window: 5, swap_steps: 2000 });
    // encoding_size without network_settings sets the hidden units, as ML-Agents does
    expect(t.reward_signals.curiosity).toMatchObject({ strength: 0.02, encoding_size: 32, learning_rate: 3e-4 });
    expect(t.reward_signals.curiosity!.network_settings.hidden_units).toBe(32);
    expect(t.reward_signals.rnd).toMatchObject({ learning_rate: 1e-4, gamma: 0.99 });
    expect(t.init_path).toBe('results/old/Team');
    // even_checkpoints: max_steps / keep_checkpoints
    expect(t.checkpoint_interval).toBe(250000);
  });

  it('shared_critic for ppo', () => {
    expect(load('behaviors:\n  A:\n    hyperparameters: {shared_critic: true}\n').options.behaviors.A.hyperparameters.shared_critic).toBe(true);
  });
});

describe('the feature table', () => {
  it('every row has a status, a non-empty name and a path', () => {
    for (const f of CONFIG_FEATURES) {
      expect(['supported', 'parsed', 'ignored', 'unsupported']).toContain(f.status);
      expect(f.name.length).toBeGreaterThan(0);
      expect(f.path.length).toBeGreaterThan(0);
    }
  });

  it('features marked parsed are not rejected', () => {
    const parsed = CONFIG_FEATURES.filter((f) => f.status === 'parsed').map((f) => f.path);
    expect(parsed).toEqual(expect.arrayContaining(['trainer_type', 'self_play']));
    const supported = CONFIG_FEATURES.filter((f) => f.status === 'supported').map((f) => f.path);
    expect(supported).toEqual(expect.arrayContaining(['reward_signals.curiosity', 'reward_signals.rnd', 'init_path']));
  });
});
