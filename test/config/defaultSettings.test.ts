import { describe, expect, it } from 'vitest';
import { ConfigError, defaultTrainerSettings, parseRunOptions, settingsForBehavior } from '../../trainer/config/index.js';

const yaml = `default_settings:
  trainer_type: ppo
  hyperparameters:
    batch_size: 256
    learning_rate_schedule: constant
  reward_signals:
    curiosity: {strength: 0.05}
  max_steps: 1.0e6
behaviors:
  A:
    hyperparameters:
      buffer_size: 4096
    reward_signals:
      extrinsic: {gamma: 0.9}
  B:
  C:
    self_play: {save_steps: 100}
`;

describe('default_settings', () => {
  const options = parseRunOptions(yaml, 'defaults.yaml', {}, { onWarning: () => {} });

  it('is merged under every behavior key by key (ML-Agents deep update)', () => {
    const a = options.behaviors.A;
    expect(a.hyperparameters).toMatchObject({ batch_size: 256, buffer_size: 4096, learning_rate_schedule: 'constant' });
    // The default's resolved schedules come along, as in ML-Agents.
    expect(a.hyperparameters.beta_schedule).toBe('constant');
    // Both the default's signals and the behavior's: extrinsic came from the default's own default.
    expect(a.reward_signals.curiosity?.strength).toBe(0.05);
    expect(a.reward_signals.extrinsic?.gamma).toBe(0.9);
    expect(a.max_steps).toBe(1000000);
  });

  it('gives an empty behavior exactly the defaults', () => {
    expect(options.behaviors.B).toEqual(options.default_settings);
    expect(options.behaviors.C.self_play).toMatchObject({ save_steps: 100, team_change: 500 });
  });

  it('covers behaviors the file does not name', () => {
    expect(settingsForBehavior(options, 'Unnamed')).toEqual(options.default_settings);
  });

  it('without default_settings, unspecified keys get ML-Agents defaults', () => {
    const plain = parseRunOptions('behaviors:\n  A: {}\n', 'p.yaml');
    expect(plain.behaviors.A).toEqual(defaultTrainerSettings());
    expect(plain.default_settings).toBeNull();
  });

  it('errors inside default_settings are reported there', () => {
    try {
      parseRunOptions('default_settings:\n  hyperparameters: {batch_sise: 3}\nbehaviors: {A: {}}\n', 'd.yaml');
      throw new Error('expected a ConfigError');
    } catch (e) {
      expect(e).toBeInstanceOf(ConfigError);
      expect((e as ConfigError).problems[0]).toMatchObject({ path: 'default_settings.hyperparameters.batch_sise', line: 2 });
      expect((e as ConfigError).problems[0].message).toContain('did you mean `batch_size`?');
    }
  });
});

describe('YAML anchors and merge keys, as PyYAML reads them', () => {
  it('shares settings between behaviors with <<: *anchor', () => {
    const options = parseRunOptions(
      `behaviors:
  Blue: &team
    trainer_type: poca
    hyperparameters: {batch_size: 512, buffer_size: 5120}
    max_steps: 2e6
  Purple:
    <<: *team
    time_horizon: 500
`,
      'anchors.yaml',
    );
    expect(options.behaviors.Purple).toMatchObject({ trainer_type: 'poca', max_steps: 2000000, time_horizon: 500 });
    expect(options.behaviors.Purple.hyperparameters.batch_size).toBe(512);
    expect(options.behaviors.Blue.time_horizon).toBe(64);
  });
});
