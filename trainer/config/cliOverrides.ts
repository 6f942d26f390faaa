/**
 * Command-line options that override the config file, the way mlagents-learn does it: an option the
 * user gave replaces the file's value in env_settings / engine_settings / checkpoint_settings /
 * torch_settings; an option not given (undefined) leaves the file alone. So the CLI must not give
 * these options defaults of its own — the defaults live in schema.ts.
 */
import { z } from 'zod';
import {
  CheckpointSettingsSchema,
  EngineSettingsSchema,
  EnvironmentSettingsSchema,
  TorchSettingsSchema,
  RunOptionsSchema,
  type RunOptions,
} from './schema.js';
import type { ConfigProblem } from './ConfigError.js';
import { describeConfigIssue } from './describeConfigIssue.js';

/** Options of `three-rl train`, as commander hands them over (numbers may still be text). */
export interface CliOverrides {
  /** --run-id → checkpoint_settings.run_id */
  runId?: string;
  /** --env <GameName> → env_settings.env_path */
  env?: string;
  /** --num-envs → env_settings.num_envs */
  numEnvs?: number | string;
  /** --num-areas → env_settings.num_areas */
  numAreas?: number | string;
  /** --seed → env_settings.seed */
  seed?: number | string;
  /** --resume → checkpoint_settings.resume */
  resume?: boolean;
  /** --force → checkpoint_settings.force */
  force?: boolean;
  /** --initialize-from <run-id> → checkpoint_settings.initialize_from */
  initializeFrom?: string;
  /** --inference → checkpoint_settings.inference */
  inference?: boolean;
  /** --time-scale → engine_settings.time_scale */
  timeScale?: number | string;
  /** --port → env_settings.base_port */
  port?: number | string;
  /** --results-dir → checkpoint_settings.results_dir */
  resultsDir?: string;
  /** --backend auto|wasm|cpu|tensorflow → torch_settings.backend */
  backend?: string;
  /** --debug → debug */
  debug?: boolean;
}

type Section = 'env_settings' | 'engine_settings' | 'checkpoint_settings' | 'torch_settings' | null;

interface Flag {
  readonly flag: string;
  readonly section: Section;
  readonly key: string;
  readonly schema: z.ZodType;
}

// Each flag is checked with the schema of the key it writes, so the file and the CLI obey the same rules.
const flags: Record<keyof CliOverrides, Flag> = {
  runId: { flag: '--run-id', section: 'checkpoint_settings', key: 'run_id', schema: CheckpointSettingsSchema.shape.run_id },
  env: { flag: '--env', section: 'env_settings', key: 'env_path', schema: EnvironmentSettingsSchema.shape.env_path },
  numEnvs: { flag: '--num-envs', section: 'env_settings', key: 'num_envs', schema: EnvironmentSettingsSchema.shape.num_envs },
  numAreas: { flag: '--num-areas', section: 'env_settings', key: 'num_areas', schema: EnvironmentSettingsSchema.shape.num_areas },
  seed: { flag: '--seed', section: 'env_settings', key: 'seed', schema: EnvironmentSettingsSchema.shape.seed },
  resume: { flag: '--resume', section: 'checkpoint_settings', key: 'resume', schema: CheckpointSettingsSchema.shape.resume },
  force: { flag: '--force', section: 'checkpoint_settings', key: 'force', schema: CheckpointSettingsSchema.shape.force },
  initializeFrom: { flag: '--initialize-from', section: 'checkpoint_settings', key: 'initialize_from', schema: CheckpointSettingsSchema.shape.initialize_from },
  inference: { flag: '--inference', section: 'checkpoint_settings', key: 'inference', schema: CheckpointSettingsSchema.shape.inference },
  timeScale: { flag: '--time-scale', section: 'engine_settings', key: 'time_scale', schema: EngineSettingsSchema.shape.time_scale },
  port: { flag: '--port', section: 'env_settings', key: 'base_port', schema: EnvironmentSettingsSchema.shape.base_port },
  resultsDir: { flag: '--results-dir', section: 'checkpoint_settings', key: 'results_dir', schema: CheckpointSettingsSchema.shape.results_dir },
  backend: { flag: '--backend', section: 'torch_settings', key: 'backend', schema: TorchSettingsSchema.shape.backend },
  debug: { flag: '--debug', section: null, key: 'debug', schema: RunOptionsSchema.shape.debug },
};

/** Command-line text that is a number becomes one; anything else is left for the schema to refuse. */
function numberFromText(value: unknown): unknown {
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return value;
}

/** What applying overrides did: the flags given (for resume/initialize-from precedence) and any bad values. */
export interface AppliedOverrides {
  readonly given: ReadonlySet<keyof CliOverrides>;
  readonly problems: ConfigProblem[];
}

/** Writes the given overrides into the raw (not yet validated) config mapping `raw`. */
export function applyCliOverrides(raw: Record<string, unknown>, overrides: CliOverrides): AppliedOverrides {
  const given = new Set<keyof CliOverrides>();
  const problems: ConfigProblem[] = [];
  for (const name of Object.keys(flags) as (keyof CliOverrides)[]) {
    const value = overrides[name];
    if (value === undefined) continue;
    const { flag, section, key, schema } = flags[name];
    // Text first, so a run id like "1e3" stays text; "4" for --num-envs only fits as a number.
    let parsed = schema.safeParse(value);
    if (!parsed.success && numberFromText(value) !== value) parsed = schema.safeParse(numberFromText(value));
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        for (const problem of describeConfigIssue(issue, value)) problems.push({ ...problem, path: flag });
      }
      continue;
    }
    given.add(name);
    if (section === null) {
      raw[key] = parsed.data;
      continue;
    }
    const current = raw[section];
    if (current === undefined || current === null) raw[section] = {};
    // A section that is not a mapping is the file's mistake; leave it for the schema to report.
    if (typeof raw[section] === 'object' && !Array.isArray(raw[section])) (raw[section] as Record<string, unknown>)[key] = parsed.data;
  }
  return { given, problems };
}

/**
 * mlagents-learn's rule for resume vs initialize-from: the one given on the command line wins;
 * when both come from the file, resume wins. Returns warnings for what was dropped.
 */
export function prioritizeResumeInit(options: RunOptions, given: ReadonlySet<keyof CliOverrides>): string[] {
  const cs = options.checkpoint_settings;
  const warnings: string[] = [];
  if (given.has('resume')) {
    if (cs.resume && cs.initialize_from !== null) {
      warnings.push(`Both resume and initialize_from=${cs.initialize_from} are set; --resume wins and the run is resumed without initialization.`);
      cs.initialize_from = null;
    }
  } else if (given.has('initializeFrom')) {
    if (cs.resume) {
      warnings.push(`Both resume and --initialize-from=${cs.initialize_from} are set; ${cs.run_id} is initialized from ${cs.initialize_from} and resume is ignored.`);
      cs.resume = false;
    }
  } else if (cs.resume && cs.initialize_from !== null) {
    warnings.push(`Both resume and initialize_from=${cs.initialize_from} are set in the file; the run is resumed without initialization.`);
    cs.initialize_from = null;
  }
  return warnings;
}
