import { describe, expect, it } from 'vitest';
import { ConfigError, parseRunOptions, settingsForBehavior, type ConfigProblem } from '../../trainer/config/index.js';

/** The problems parseRunOptions reports for `yaml`; fails the test if it loads. */
function problems(yaml: string): ConfigProblem[] {
  try {
    parseRunOptions(yaml, 'test.yaml', {}, { onWarning: () => {} });
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigError);
    return [...(e as ConfigError).problems];
  }
  throw new Error('expected the configuration to be rejected');
}

function problemAt(yaml: string, path: string): ConfigProblem {
  const all = problems(yaml);
  const found = all.find((p) => p.path === path);
  if (!found) throw new Error(`no problem at ${path}; got ${JSON.stringify(all, null, 1)}`);
  return found;
}

const snowball = (hyperparameters: string) => `behaviors:
  SnowballTarget:
    trainer_type: ppo
    hyperparameters:
${hyperparameters}
`;

describe('typos: full path, value and did-you-mean', () => {
  it('a misspelt hyperparameter', () => {
    const p = problemAt(snowball('      learning_rat: 0.0003'), 'behaviors.SnowballTarget.hyperparameters.learning_rat');
    expect(p.message).toContain('did you mean `learning_rate`?');
    expect(p.message).toContain('0.0003');
    expect(p).toMatchObject({ line: 5, column: 7 });
  });

  it('the error message names the file, line, path and suggestion', () => {
    expect(() => parseRunOptions(snowball('      lambda: 0.95'), 'cfg/Snow.yaml')).toThrow(
      /cfg\/Snow\.yaml:5:7 +behaviors\.SnowballTarget\.hyperparameters\.lambda: unknown key `lambda` \(value 0\.95\) in `hyperparameters`; did you mean `lambd`\?/,
    );
  });

  it('camelCase spellings and swapped letters', () => {
    expect(problemAt(snowball('      learningRate: 0.1'), 'behaviors.SnowballTarget.hyperparameters.learningRate').message).toContain('`learning_rate`');
    expect(problemAt(snowball('      num_epcoh: 3'), 'behaviors.SnowballTarget.hyperparameters.num_epcoh').message).toContain('`num_epoch`');
  });

  it('top-level and behavior-level keys', () => {
    const all = problems('behaviours:\n  A: {}\nenv_setings: {}\n');
    expect(all.map((p) => p.path)).toEqual(['behaviours', 'env_setings']);
    expect(all[0].message).toContain('did you mean `behaviors`?');
    expect(all[1].message).toContain('did you mean `env_settings`?');
    expect(problemAt('behaviors:\n  A:\n    max_step: 10\n', 'behaviors.A.max_step').message).toContain('did you mean `max_steps`?');
    expect(problemAt('behaviors:\n  A:\n    reward_signals:\n      extrinsics: {}\n', 'behaviors.A.reward_signals.extrinsics').message).toContain('did you mean `extrinsic`?');
  });

  it('a known key in the wrong section is sent to its section', () => {
    const p = problemAt('behaviors:\n  A:\n    network_settings:\n      batch_size: 64\n', 'behaviors.A.network_settings.batch_size');
    expect(p.message).toContain('belongs under `hyperparameters`');
  });

  it('misspelt enum values', () => {
    expect(problemAt('behaviors:\n  A:\n    trainer_type: ppoo\n', 'behaviors.A.trainer_type').message).toMatch(/expected one of `ppo`, `poca`, got the text "ppoo"; did you mean `ppo`\?/);
    const p = problemAt(snowball('      learning_rate_schedule: linaer'), 'behaviors.SnowballTarget.hyperparameters.learning_rate_schedule');
    expect(p.message).toContain('did you mean `linear`?');
  });

  it('behaviors in the pre-0.18 top-level format', () => {
    expect(problemAt('Pyramids:\n  trainer: ppo\n  max_steps: 10\n', 'Pyramids').message).toContain('move it under `behaviors:`');
  });
});

describe('wrong types and values: path, value, expected', () => {
  it('text where an integer is expected', () => {
    expect(problemAt(snowball('      batch_size: big'), 'behaviors.SnowballTarget.hyperparameters.batch_size').message).toBe('expected a number, got the text "big"');
  });

  it('a fraction where an integer is expected', () => {
    expect(problemAt(snowball('      batch_size: 32.5'), 'behaviors.SnowballTarget.hyperparameters.batch_size').message).toBe('expected an integer, got 32.5');
  });

  it('out of range', () => {
    expect(problemAt(snowball('      learning_rate: -1'), 'behaviors.SnowballTarget.hyperparameters.learning_rate').message).toBe('expected a number > 0, got -1');
    expect(problemAt(snowball('      lambd: 1.5'), 'behaviors.SnowballTarget.hyperparameters.lambd').message).toBe('expected a number <= 1, got 1.5');
    expect(problemAt('behaviors:\n  A:\n    max_steps: 0\n', 'behaviors.A.max_steps').message).toBe('expected a number >= 1, got 0');
  });

  it('booleans: PyYAML spellings load, others are refused', () => {
    const ok = parseRunOptions('behaviors:\n  A:\n    network_settings: {normalize: yes}\n    threaded: off\n', 't', {}, { onWarning: () => {} });
    expect(ok.behaviors.A.network_settings.normalize).toBe(true);
    expect(ok.behaviors.A.threaded).toBe(false);
    expect(problemAt('behaviors:\n  A:\n    network_settings: {normalize: y}\n', 'behaviors.A.network_settings.normalize').message).toBe('expected true or false, got the text "y"');
    expect(problemAt('behaviors:\n  A:\n    network_settings: {normalize: 1}\n', 'behaviors.A.network_settings.normalize').message).toBe('expected true or false, got 1');
  });

  it('an empty value for a key that needs one', () => {
    const p = problemAt('behaviors:\n  A:\n    network_settings:\n      hidden_units:\n', 'behaviors.A.network_settings.hidden_units');
    expect(p.message).toBe('expected a number, got null (an empty value); remove the key to use the default');
  });

  it('a section that is not a mapping', () => {
    expect(problemAt('behaviors:\n  A:\n    hyperparameters: 5\n', 'behaviors.A.hyperparameters').message).toContain('expected a mapping');
  });

  it('batch_size larger than buffer_size', () => {
    const p = problemAt(snowball('      batch_size: 4096\n      buffer_size: 2048'), 'behaviors.SnowballTarget.hyperparameters.batch_size');
    expect(p.message).toContain('batch_size 4096 is larger than buffer_size 2048');
  });

  it('several game processes need a game', () => {
    expect(problemAt('behaviors: {A: {}}\nenv_settings:\n  num_envs: 2\n', 'env_settings.num_envs').message).toContain('--env <GameName>');
  });

  it('poca with shared_critic', () => {
    const p = problemAt('behaviors:\n  A:\n    trainer_type: poca\n    hyperparameters: {shared_critic: true}\n', 'behaviors.A.hyperparameters.shared_critic');
    expect(p.message).toContain('shared_critic is a ppo option');
  });

  it('every problem is reported at once', () => {
    const all = problems(snowball('      batch_size: big\n      lambd: 2\n      learning_rat: 1'));
    expect(all.map((p) => p.path).sort()).toEqual([
      'behaviors.SnowballTarget.hyperparameters.batch_size',
      'behaviors.SnowballTarget.hyperparameters.lambd',
      'behaviors.SnowballTarget.hyperparameters.learning_rat',
    ]);
  });

  it('environment parameters: samplers and curricula', () => {
    const yaml = `behaviors: {A: {}}
environment_parameters:
  wall:
    curriculum:
      - name: short
        value: 1
      - name: tall
        value: 4
  gap: {sampler_type: gausian, sampler_parameters: {}}
  height: {sampler_type: uniform, sampler_parameters: {min_value: 3, max_value: 1}}
`;
    const all = problems(yaml);
    expect(all.find((p) => p.path === 'environment_parameters.gap.sampler_type')?.message).toContain('did you mean `gaussian`?');
    expect(all.find((p) => p.path === 'environment_parameters.height.sampler_parameters.min_value')?.message).toBe('min_value 3 is greater than max_value 1');
    expect(all.find((p) => p.path === 'environment_parameters.wall.curriculum[0].completion_criteria')?.message).toContain('needs completion_criteria');
  });
});

describe('files that are not configurations', () => {
  it('YAML syntax errors carry line and column', () => {
    const [p] = problems('behaviors:\n  A:\n    trainer_type: ppo\n   bad: 1\n');
    expect(p.message).toMatch(/^YAML syntax: /);
    expect(p.line).toBe(4);
  });

  it('duplicate keys are an error (PyYAML would silently keep the last)', () => {
    const [p] = problems('behaviors:\n  A: {}\n  A: {}\n');
    expect(p.message).toContain('unique');
    expect(p.line).toBe(3);
  });

  it('an empty file and a file that is a list', () => {
    expect(problems('')[0].message).toContain('the file is empty');
    expect(problems('- a\n- b\n')[0].message).toContain('expected a mapping of sections');
  });

  it('a missing file', async () => {
    const { loadRunOptions } = await import('../../trainer/config/index.js');
    expect(() => loadRunOptions('/nonexistent/config.yaml')).toThrow(/cannot read the config file \/nonexistent\/config\.yaml: no such file/);
  });
});

describe('settingsForBehavior', () => {
  it('names the behaviors the config has and the closest one', () => {
    const options = parseRunOptions('behaviors:\n  SnowballTarget: {}\n', 't');
    expect(settingsForBehavior(options, 'SnowballTarget').max_steps).toBe(500000);
    expect(() => settingsForBehavior(options, 'SnowBallTarget')).toThrow(/Did you mean `SnowballTarget`\?/);
    expect(() => settingsForBehavior(options, 'Pyramids')).toThrow(/does not set up; add it under `behaviors:` or set `default_settings:`\. It configures `SnowballTarget`/);
  });
});
