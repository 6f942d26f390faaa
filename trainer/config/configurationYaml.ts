/**
 * Writes the fully resolved run configuration, like mlagents-learn's results/<run-id>/configuration.yaml:
 * every section and every default spelt out, in ML-Agents' key order, loadable again as a config.
 */
import { stringifyConfigYaml } from './configYaml.js';
import type { RunOptions, TrainerSettings } from './schema.js';

/** ML-Agents' POCASettings has no shared_critic; leave it out so the file matches what ML-Agents writes. */
function asWritten(settings: TrainerSettings): unknown {
  if (settings.trainer_type !== 'poca') return settings;
  const { shared_critic: _unused, ...hyperparameters } = settings.hyperparameters;
  return { ...settings, hyperparameters };
}

/** The resolved options as configuration.yaml text; parseRunOptions reads it back to an equal object. */
export function toConfigurationYaml(options: RunOptions): string {
  const behaviors: Record<string, unknown> = {};
  for (const [name, settings] of Object.entries(options.behaviors)) behaviors[name] = asWritten(settings);
  return stringifyConfigYaml({
    default_settings: options.default_settings === null ? null : asWritten(options.default_settings),
    behaviors,
    env_settings: options.env_settings,
    engine_settings: options.engine_settings,
    environment_parameters: options.environment_parameters,
    checkpoint_settings: options.checkpoint_settings,
    torch_settings: options.torch_settings,
    debug: options.debug,
  });
}
