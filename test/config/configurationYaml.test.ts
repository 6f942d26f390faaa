import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { parseDocument, isMap, type Node } from 'yaml';
import { loadRunOptions, parseRunOptions, toConfigurationYaml } from '../../trainer/config/index.js';
import { MLAGENTS_FIXTURES } from '../fixtures/mlagentsFixtures.js';

const fixtures = MLAGENTS_FIXTURES;
const quiet = { onWarning: () => {} };

/** Every key path of a YAML mapping, depth first, in file order. */
function keyPaths(node: unknown, prefix = ''): string[] {
  if (!isMap(node)) return [];
  return node.items.flatMap((pair) => {
    const key = `${prefix}${String((pair.key as { value: unknown }).value)}`;
    return [key, ...keyPaths(pair.value as Node, `${key}.`)];
  });
}

const rich = `default_settings:
  trainer_type: ppo
  hyperparameters: {batch_size: 64, buffer_size: 640}
behaviors:
  Striker:
    trainer_type: poca
    self_play: {save_steps: 500}
    reward_signals:
      extrinsic: {}
      curiosity: {encoding_size: 16}
      rnd: {strength: 0.1}
    even_checkpoints: true
    max_steps: 1000
  "007":
    network_settings: {normalize: yes}
environment_parameters:
  gravity: 9.81
  size: {sampler_type: uniform, sampler_parameters: {min_value: 1, max_value: 2, seed: 3}}
  wind: {sampler_type: gaussian, sampler_parameters: {mean: 0, st_dev: 0.5}}
  gaps: {sampler_type: multirangeuniform, sampler_parameters: {intervals: [[0, 1], [2.5, 3]]}}
  wall:
    curriculum:
      - name: low
        value: 1.5
        completion_criteria: {behavior: Striker, measure: progress, threshold: 0.3, min_lesson_length: 100}
      - name: high
        value: {sampler_type: constant, sampler_parameters: {value: 4}}
env_settings: {env_args: [--level, "3"], seed: 42}
checkpoint_settings: {run_id: "yes"}
`;

describe('configuration.yaml', () => {
  it('round-trips every ML-Agents fixture to an equal object', () => {
    for (const f of readdirSync(fixtures).filter((x) => x.endsWith('.yaml'))) {
      const options = loadRunOptions(join(fixtures, f), {}, quiet);
      const text = toConfigurationYaml(options);
      expect(parseRunOptions(text, `${f} (written)`, {}, quiet), f).toEqual(options);
    }
  });

  it('round-trips defaults, samplers, curricula, poca, self-play, text that looks like other types, CLI overrides', () => {
    const options = parseRunOptions(rich, 'rich.yaml', { resultsDir: 'runs', numAreas: '4' }, quiet);
    expect(options.checkpoint_settings.run_id).toBe('yes');
    expect(options.behaviors['007'].network_settings.normalize).toBe(true);
    expect(options.environment_parameters?.gravity.curriculum).toEqual([
      { value: { sampler_type: 'constant', sampler_parameters: { seed: -1, value: 9.81 } }, name: 'gravity', completion_criteria: null },
    ]);
    expect(options.environment_parameters?.gaps.curriculum[0].value).toEqual({ sampler_type: 'multirangeuniform', sampler_parameters: { seed: -1, intervals: [[0, 1], [2.5, 3]] } });
    const text = toConfigurationYaml(options);
    const back = parseRunOptions(text, 'rich (written)', {}, quiet);
    expect(back).toEqual(options);
    // and writing again gives the same text
    expect(toConfigurationYaml(back)).toBe(text);
    // ML-Agents' POCA settings have no shared_critic, so neither does the file
    const written = parseDocument(text).toJS() as { behaviors: Record<string, { hyperparameters: Record<string, unknown> }> };
    expect(written.behaviors.Striker.hyperparameters).not.toHaveProperty('shared_critic');
    expect(written.behaviors['007'].hyperparameters.shared_critic).toBe(false);
  });

  it('writes every resolved key, in the order mlagents-learn writes them', () => {
    const fixture = readFileSync(join(fixtures, 'xenjin450_SnowballTarget.configuration.yaml'), 'utf8');
    const written = toConfigurationYaml(loadRunOptions(join(fixtures, 'xenjin450_SnowballTarget.configuration.yaml'), {}, quiet));
    const theirs = keyPaths(parseDocument(fixture).contents);
    const ours = keyPaths(parseDocument(written).contents);
    // Every key ML-Agents wrote is there, in the same order; ours adds only torch_settings.backend.
    expect(ours.filter((k) => theirs.includes(k))).toEqual(theirs);
    expect(ours.filter((k) => !theirs.includes(k))).toEqual(['torch_settings.backend']);
  });

  it('spells out defaults for a minimal config', () => {
    const text = toConfigurationYaml(parseRunOptions('behaviors:\n  Basic: {}\n', 'min.yaml'));
    for (const line of ['default_settings: null', '    checkpoint_interval: 500000', '      learning_rate_schedule: linear', '  base_port: 5004', '  run_id: ppo', 'environment_parameters: null', 'debug: false']) {
      expect(text).toContain(line);
    }
  });
});
