/**
 * Loads a training configuration the way mlagents-learn does: YAML → default_settings merged into
 * each behavior → command-line overrides → every default filled in. Accepts ML-Agents' own
 * configs and the configuration.yaml that mlagents-learn (or toConfigurationYaml) writes.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { z } from 'zod';
import { ConfigError, type ConfigProblem } from './ConfigError.js';
import { parseConfigYaml, type ConfigYamlDocument } from './configYaml.js';
import { describeConfigIssue } from './describeConfigIssue.js';
import { checkConfigFeatures, type FeatureCheck } from './configFeatures.js';
import { applyCliOverrides, prioritizeResumeInit, type CliOverrides } from './cliOverrides.js';
import { didYouMean } from './didYouMean.js';
import { RunOptionsSchema, TrainerSettingsSchema, type RunOptions, type TrainerSettings } from './schema.js';

/** How loading reports what it tolerated. */
export interface LoadOptions {
  /** Called once per warning (deprecated or ineffective keys, dropped resume/initialize_from); default console.warn. */
  onWarning?: (message: string) => void;
}

type Mapping = Record<string, unknown>;
type Locate = ConfigYamlDocument['locate'];

const isMapping = (v: unknown): v is Mapping => v !== null && typeof v === 'object' && !Array.isArray(v);

/** ML-Agents' deep_update_dict: mappings merge key by key, anything else replaces. */
function deepUpdate(target: Mapping, update: Mapping): Mapping {
  for (const [key, value] of Object.entries(update)) {
    if (isMapping(target[key]) && isMapping(value)) deepUpdate(target[key] as Mapping, value);
    else target[key] = structuredClone(value);
  }
  return target;
}

/** The keys a behavior's settings may have; used to spot behaviors written outside `behaviors:`. */
const trainerKeys = new Set([...Object.keys(TrainerSettingsSchema.in.shape), 'trainer']);

/** ML-Agents' in-place fix-ups of one behavior's raw settings, done before validation as it does them. */
function normalizeTrainer(trainer: Mapping, where: string, warnings: string[]): void {
  if ('framework' in trainer) {
    warnings.push(`${where}.framework: ML-Agents deprecated this option; it is ignored.`);
    delete trainer.framework;
  }
  const h = trainer.hyperparameters;
  if (isMapping(h) && 'learning_rate_schedule' in h) {
    // Unless written, beta and epsilon follow the learning-rate schedule (ML-Agents' check_hyperparam_schedules).
    if (!('beta_schedule' in h)) h.beta_schedule = h.learning_rate_schedule;
    if (!('epsilon_schedule' in h)) h.epsilon_schedule = h.learning_rate_schedule;
  }
  if (isMapping(trainer.reward_signals)) {
    for (const [name, signal] of Object.entries(trainer.reward_signals)) {
      if (!isMapping(signal) || signal.encoding_size === undefined || signal.encoding_size === null) continue;
      warnings.push(`${where}.reward_signals.${name}.encoding_size: deprecated by ML-Agents; use network_settings.hidden_units.`);
      if (!('network_settings' in signal)) signal.network_settings = { hidden_units: signal.encoding_size };
    }
  }
}

function problemsFromIssues(issues: readonly z.core.$ZodIssue[], root: unknown, base: readonly PropertyKey[], locate: Locate | undefined): ConfigProblem[] {
  return issues.flatMap((issue) => describeConfigIssue(issue, root, base, locate));
}

function located(problem: ConfigProblem, parts: readonly PropertyKey[], locate: Locate | undefined): ConfigProblem {
  const at = locate?.(parts);
  return at ? { ...problem, line: at.line, column: at.column } : problem;
}

/** Splits a formatted path back into keys, for locating feature problems. */
function pathParts(path: string): PropertyKey[] {
  return path === '' ? [] : path.split('.');
}

/**
 * Resolves already-parsed config data (a YAML mapping) into RunOptions. `locate` maps key paths
 * to file positions for error messages.
 */
export function resolveRunOptions(data: unknown, source: string, overrides: CliOverrides = {}, options: LoadOptions = {}, locate?: Locate): RunOptions {
  const onWarning = options.onWarning ?? ((message: string) => console.warn(message));
  if (data === null || data === undefined) {
    throw new ConfigError(source, [{ path: '', message: 'the file is empty; a training configuration needs at least a `behaviors:` section (see configs/ppo/3DBall.yaml)' }]);
  }
  if (!isMapping(data)) {
    throw new ConfigError(source, [{ path: '', message: `expected a mapping of sections (behaviors:, env_settings: ...) at the top level, got ${Array.isArray(data) ? 'a list' : JSON.stringify(data)}` }]);
  }
  const raw: Mapping = structuredClone(data);
  const problems: ConfigProblem[] = [];
  const warnings: string[] = [];

  // Behaviors at the top level are ML-Agents' format before release 3 (0.18); say so rather than "unknown key".
  const topLevel = new Set(Object.keys(RunOptionsSchema.shape));
  for (const [key, value] of Object.entries(raw)) {
    if (topLevel.has(key) || !isMapping(value) || !Object.keys(value).some((k) => trainerKeys.has(k))) continue;
    problems.push(located({ path: key, message: `\`${key}\` looks like a behavior's settings (old ML-Agents format); move it under \`behaviors:\`` }, [key], locate));
    delete raw[key];
  }

  const applied = applyCliOverrides(raw, overrides);
  problems.push(...applied.problems);

  const features: FeatureCheck = { problems: [], warnings };
  checkConfigFeatures('run', raw, [], features);
  if (isMapping(raw.default_settings)) checkConfigFeatures('trainer', raw.default_settings, ['default_settings'], features);
  if (isMapping(raw.behaviors)) {
    for (const [name, behavior] of Object.entries(raw.behaviors)) {
      if (isMapping(behavior)) checkConfigFeatures('trainer', behavior, ['behaviors', name], features);
    }
  }
  problems.push(...features.problems.map((p) => located(p, pathParts(p.path), locate)));

  // default_settings is resolved first, then each behavior is written over a copy of it (ML-Agents' order).
  let resolvedDefault: TrainerSettings | null = null;
  if (isMapping(raw.default_settings)) {
    normalizeTrainer(raw.default_settings, 'default_settings', warnings);
    const parsed = TrainerSettingsSchema.safeParse(raw.default_settings);
    if (parsed.success) resolvedDefault = parsed.data;
    else problems.push(...problemsFromIssues(parsed.error.issues, raw.default_settings, ['default_settings'], locate));
  }
  if (problems.length > 0) throw new ConfigError(source, problems);

  if (isMapping(raw.behaviors)) {
    for (const [name, behavior] of Object.entries(raw.behaviors)) {
      const written = behavior === null ? {} : behavior;
      if (!isMapping(written)) continue;
      const merged = resolvedDefault !== null ? deepUpdate(structuredClone(resolvedDefault) as Mapping, written) : written;
      normalizeTrainer(merged, `behaviors.${name}`, warnings);
      raw.behaviors[name] = merged;
    }
  }

  const parsed = RunOptionsSchema.safeParse(raw);
  if (!parsed.success) throw new ConfigError(source, problemsFromIssues(parsed.error.issues, raw, [], locate));
  const result = parsed.data;

  warnings.push(...prioritizeResumeInit(result, applied.given));
  for (const [name, parameter] of Object.entries(result.environment_parameters ?? {})) {
    const last = parameter.curriculum[parameter.curriculum.length - 1];
    if (parameter.curriculum.length > 1 && last.completion_criteria !== null) {
      warnings.push(`environment_parameters.${name}: the completion_criteria of the last lesson (${last.name}) is ignored, as in ML-Agents.`);
    }
  }
  for (const warning of warnings) onWarning(warning);
  return result;
}

/** Parses config YAML text; `source` names it in error messages (usually the file path). */
export function parseRunOptions(yamlText: string, source: string, overrides: CliOverrides = {}, options: LoadOptions = {}): RunOptions {
  const doc = parseConfigYaml(yamlText, source);
  return resolveRunOptions(doc.data, source, overrides, options, doc.locate);
}

/** Reads and resolves a training configuration file, e.g. configs/ppo/3DBall.yaml. */
export function loadRunOptions(filePath: string, overrides: CliOverrides = {}, options: LoadOptions = {}): RunOptions {
  let text: string;
  try {
    text = readFileSync(filePath, 'utf8');
  } catch (e) {
    const reason = (e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message;
    throw new ConfigError(filePath, [{ path: '', message: `cannot read the config file ${resolve(filePath)}: ${reason}` }]);
  }
  return parseRunOptions(text, filePath, overrides, options);
}

/**
 * The settings for a behavior a game announced: its own entry, else default_settings (as ML-Agents'
 * DefaultTrainerDict), else an error that names the close matches.
 */
export function settingsForBehavior(options: RunOptions, behaviorName: string, source = 'the training configuration'): TrainerSettings {
  const own = options.behaviors[behaviorName];
  if (own !== undefined) return own;
  if (options.default_settings !== null) return structuredClone(options.default_settings);
  const names = Object.keys(options.behaviors);
  const close = didYouMean(behaviorName, names);
  const hint = close !== undefined ? ` Did you mean \`${close}\`? Behavior names must match exactly.` : names.length > 0 ? ` It configures ${names.map((n) => `\`${n}\``).join(', ')}.` : '';
  throw new ConfigError(source, [
    {
      path: `behaviors.${behaviorName}`,
      message: `the game has a behavior \`${behaviorName}\` that the configuration does not set up; add it under \`behaviors:\` or set \`default_settings:\`.${hint}`,
    },
  ]);
}
