/**
 * The training configuration, key for key as ML-Agents reads it (ml-agents/mlagents/trainers/settings.py,
 * release 21+), with ML-Agents' defaults. Parsing fills every default in, so consumers never see a
 * missing key. Which ML-Agents features we honour is decided in configFeatures.ts, not here.
 */
import { z } from 'zod';
import { configSection } from './configSection.js';

// ---------------------------------------------------------------------------------------------
// Building blocks

const int = (min: number) => z.int().min(min);
const positive = () => z.number().gt(0);
const nonNegative = () => z.number().min(0);
const fraction = () => z.number().min(0).max(1);

/** Text; a number where text is expected (`run_id: 42`) is taken as its digits, as ML-Agents does. */
const text = () => z.preprocess((v) => (typeof v === 'number' ? String(v) : v), z.string().min(1));

/** A nested section that may be absent or written as an empty key (`network_settings:`): both mean "all defaults". */
function defaultedSection<T extends z.ZodType>(schema: T) {
  return z.preprocess((v) => (v === null ? undefined : v), schema.prefault({} as z.input<T>));
}

/** A section whose absence (or null) means "off", as ML-Agents' Optional[...] = None. */
function optionalSection<T extends z.ZodType>(schema: T) {
  return schema.nullable().default(null);
}

/** Runs `schema` on a value inside a transform and re-reports its issues under `path`, keeping the user's paths. */
function parseInside<T extends z.ZodType>(
  schema: T,
  value: unknown,
  ctx: z.RefinementCtx,
  path: (string | number)[],
): { ok: true; data: z.output<T> } | { ok: false } {
  const result = schema.safeParse(value);
  if (result.success) return { ok: true, data: result.data };
  for (const issue of result.error.issues) {
    ctx.addIssue({ ...issue, path: [...path, ...issue.path] } as never);
  }
  return { ok: false };
}

export const ScheduleTypeSchema = z.enum(['constant', 'linear']);
/** How a hyperparameter changes over training: kept, or decayed linearly to 0 at max_steps. */
export type ScheduleType = z.output<typeof ScheduleTypeSchema>;

export const EncoderTypeSchema = z.enum(['fully_connected', 'match3', 'simple', 'nature_cnn', 'resnet']);
/** ML-Agents' visual encoder choice; only meaningful for visual observations. */
export type EncoderType = z.output<typeof EncoderTypeSchema>;

export const ConditioningTypeSchema = z.enum(['hyper', 'none']);
/** How goal observations condition the network; only meaningful with goal-signal observations. */
export type ConditioningType = z.output<typeof ConditioningTypeSchema>;

export const TrainerTypeSchema = z.enum(['ppo', 'poca']);
/** Trainer algorithms this project accepts (ML-Agents' `sac` is rejected in configFeatures.ts). */
export type TrainerType = z.output<typeof TrainerTypeSchema>;

export const BackendSchema = z.enum(['auto', 'wasm', 'cpu', 'tensorflow']);
/** TensorFlow.js backend: `auto` picks tfjs-node(-gpu) when installed, else WASM, else plain JS. */
export type Backend = z.output<typeof BackendSchema>;

// ---------------------------------------------------------------------------------------------
// Networks

export const MemorySettingsSchema = configSection('memory', {
  sequence_length: int(1).default(64),
  memory_size: int(2)
    .refine((v) => v % 2 === 0, { message: 'memory_size must be divisible by 2 (ML-Agents splits it into cell and hidden state)' })
    .default(128),
});
/** Recurrent memory (LSTM) settings. */
export type MemorySettings = z.output<typeof MemorySettingsSchema>;

export const NetworkSettingsSchema = configSection('network_settings', {
  normalize: z.boolean().default(false),
  hidden_units: int(1).default(128),
  num_layers: int(1).default(2),
  vis_encode_type: EncoderTypeSchema.default('simple'),
  memory: optionalSection(MemorySettingsSchema),
  goal_conditioning_type: ConditioningTypeSchema.default('hyper'),
  deterministic: z.boolean().default(false),
});
/** Shape of a policy, critic or reward-signal network. */
export type NetworkSettings = z.output<typeof NetworkSettingsSchema>;

// ---------------------------------------------------------------------------------------------
// Hyperparameters

export const PpoHyperparametersSchema = configSection('hyperparameters', {
  batch_size: int(1).default(1024),
  buffer_size: int(1).default(10240),
  learning_rate: positive().default(3.0e-4),
  beta: nonNegative().default(5.0e-3),
  epsilon: positive().default(0.2),
  lambd: fraction().default(0.95),
  num_epoch: int(1).default(3),
  shared_critic: z.boolean().default(false),
  learning_rate_schedule: ScheduleTypeSchema.default('linear'),
  beta_schedule: ScheduleTypeSchema.default('linear'),
  epsilon_schedule: ScheduleTypeSchema.default('linear'),
}).superRefine((h, ctx) => {
  // ML-Agents silently skips every update when no minibatch fits in the buffer.
  if (h.batch_size > h.buffer_size) {
    ctx.addIssue({
      code: 'custom',
      path: ['batch_size'],
      message: `batch_size ${h.batch_size} is larger than buffer_size ${h.buffer_size}: no minibatch would fit and the policy would never update; make buffer_size a multiple of batch_size`,
    });
  }
});
/** PPO hyperparameters; POCA uses the same ones, as in ML-Agents. */
export type PpoHyperparameters = z.output<typeof PpoHyperparametersSchema>;
/** POCA hyperparameters (ML-Agents' POCASettings has PPO's keys; `shared_critic` must stay false). */
export type PocaHyperparameters = PpoHyperparameters;

// ---------------------------------------------------------------------------------------------
// Reward signals

const rewardSignalBase = {
  gamma: fraction().default(0.99),
  strength: nonNegative().default(1.0),
  network_settings: defaultedSection(NetworkSettingsSchema),
};

export const RewardSignalSettingsSchema = configSection('extrinsic', rewardSignalBase);
/** The extrinsic reward signal, and the keys every reward signal has. */
export type RewardSignalSettings = z.output<typeof RewardSignalSettingsSchema>;

export const CuriositySettingsSchema = configSection('curiosity', {
  ...rewardSignalBase,
  learning_rate: positive().default(3e-4),
  encoding_size: int(1).nullable().default(null),
});
/** Curiosity (ICM) intrinsic reward. */
export type CuriositySettings = z.output<typeof CuriositySettingsSchema>;

export const RndSettingsSchema = configSection('rnd', {
  ...rewardSignalBase,
  learning_rate: positive().default(1e-4),
  encoding_size: int(1).nullable().default(null),
});
/** Random network distillation intrinsic reward. */
export type RndSettings = z.output<typeof RndSettingsSchema>;

export const GailSettingsSchema = configSection('gail', {
  ...rewardSignalBase,
  learning_rate: positive().default(3e-4),
  encoding_size: int(1).nullable().default(null),
  use_actions: z.boolean().default(false),
  use_vail: z.boolean().default(false),
  demo_path: text(),
});
/** GAIL imitation reward (parsed so errors are precise; rejected in configFeatures.ts). */
export type GailSettings = z.output<typeof GailSettingsSchema>;

/** A reward signal written as an empty key (`extrinsic:`) takes all defaults. */
function signal<T extends z.ZodType>(schema: T) {
  return z.preprocess((v) => (v === null ? {} : v), schema).optional();
}

export const RewardSignalsSchema = configSection('reward_signals', {
  extrinsic: signal(RewardSignalSettingsSchema),
  gail: signal(GailSettingsSchema),
  curiosity: signal(CuriositySettingsSchema),
  rnd: signal(RndSettingsSchema),
}).superRefine((signals, ctx) => {
  if (Object.values(signals).every((s) => s === undefined)) {
    ctx.addIssue({ code: 'custom', path: [], message: 'reward_signals is empty: the agent would learn from nothing; add `extrinsic:` (the game\'s rewards)' });
  }
});
/** The reward signals of a behavior, by ML-Agents name; only the ones written are present. */
export type RewardSignals = z.output<typeof RewardSignalsSchema>;

// ---------------------------------------------------------------------------------------------
// Self-play and behavioral cloning

export const SelfPlaySettingsSchema = configSection('self_play', {
  save_steps: int(1).default(20000),
  team_change: int(1).optional(),
  swap_steps: int(1).default(2000),
  window: int(1).default(10),
  play_against_latest_model_ratio: fraction().default(0.5),
  initial_elo: z.number().default(1200.0),
}).transform((s) => ({
  save_steps: s.save_steps,
  // ML-Agents' default: about five snapshots per team change.
  team_change: s.team_change ?? s.save_steps * 5,
  swap_steps: s.swap_steps,
  window: s.window,
  play_against_latest_model_ratio: s.play_against_latest_model_ratio,
  initial_elo: s.initial_elo,
}));
/** Self-play: ghost opponents from a window of snapshots, ELO. */
export type SelfPlaySettings = z.output<typeof SelfPlaySettingsSchema>;

export const BehavioralCloningSettingsSchema = configSection('behavioral_cloning', {
  demo_path: text(),
  steps: int(0).default(0),
  strength: nonNegative().default(1.0),
  samples_per_update: int(0).default(0),
  num_epoch: int(1).nullable().default(null),
  batch_size: int(1).nullable().default(null),
});
/** Behavioral cloning from demonstrations (parsed; rejected in configFeatures.ts). */
export type BehavioralCloningSettings = z.output<typeof BehavioralCloningSettingsSchema>;

// ---------------------------------------------------------------------------------------------
// One behavior

export const TrainerSettingsSchema = configSection('the behavior', {
  trainer_type: TrainerTypeSchema.default('ppo'),
  hyperparameters: defaultedSection(PpoHyperparametersSchema),
  checkpoint_interval: int(1).default(500000),
  network_settings: defaultedSection(NetworkSettingsSchema),
  reward_signals: z.preprocess((v) => (v === null ? undefined : v), RewardSignalsSchema.prefault({ extrinsic: {} })),
  init_path: text().nullable().default(null),
  keep_checkpoints: int(1).default(5),
  even_checkpoints: z.boolean().default(false),
  max_steps: int(1).default(500000),
  time_horizon: int(1).default(64),
  summary_freq: int(1).default(50000),
  threaded: z.boolean().default(false),
  self_play: optionalSection(SelfPlaySettingsSchema),
  behavioral_cloning: optionalSection(BehavioralCloningSettingsSchema),
})
  .superRefine((t, ctx) => {
    if (t.trainer_type === 'poca' && t.hyperparameters.shared_critic) {
      ctx.addIssue({
        code: 'custom',
        path: ['hyperparameters', 'shared_critic'],
        message: 'shared_critic is a ppo option; poca always trains its own centralised critic, so remove the key or set it to false',
      });
    }
    const memory = t.network_settings.memory;
    if (memory !== null && memory.sequence_length > t.hyperparameters.batch_size) {
      ctx.addIssue({
        code: 'custom',
        path: ['network_settings', 'memory', 'sequence_length'],
        message: `sequence_length ${memory.sequence_length} is larger than batch_size ${t.hyperparameters.batch_size}; it must be less than or equal`,
      });
    }
  })
  .transform((t) =>
    // As ML-Agents: even_checkpoints spreads keep_checkpoints evenly over the run, overriding checkpoint_interval.
    t.even_checkpoints ? { ...t, checkpoint_interval: Math.max(1, Math.floor(t.max_steps / t.keep_checkpoints)) } : t,
  );
/** Everything about training one behavior, fully resolved. */
export type TrainerSettings = z.output<typeof TrainerSettingsSchema>;

// ---------------------------------------------------------------------------------------------
// Environment parameters: samplers and curricula

const seed = int(-1).default(-1);

const samplerParameterSchemas = {
  constant: configSection('sampler_parameters (constant)', { seed, value: z.number().default(0.0) }),
  uniform: configSection('sampler_parameters (uniform)', {
    seed,
    min_value: z.number().default(0.0),
    max_value: z.number().default(1.0),
  }).superRefine((p, ctx) => {
    if (p.min_value > p.max_value) {
      ctx.addIssue({ code: 'custom', path: ['min_value'], message: `min_value ${p.min_value} is greater than max_value ${p.max_value}` });
    }
  }),
  gaussian: configSection('sampler_parameters (gaussian)', {
    seed,
    mean: z.number().default(1.0),
    st_dev: nonNegative().default(1.0),
  }),
  multirangeuniform: configSection('sampler_parameters (multirangeuniform)', {
    seed,
    intervals: z
      .array(z.tuple([z.number(), z.number()]))
      .min(1)
      .superRefine((intervals, ctx) => {
        intervals.forEach(([min, max], i) => {
          if (min > max) ctx.addIssue({ code: 'custom', path: [i], message: `interval [${min}, ${max}] has its minimum above its maximum` });
        });
      })
      .default([[0.0, 1.0]]),
  }),
} as const;

export const SamplerTypeSchema = z.enum(['constant', 'uniform', 'gaussian', 'multirangeuniform']);
/** How an environment parameter is drawn each episode. */
export type SamplerType = z.output<typeof SamplerTypeSchema>;

/** A sampler in the form mlagents-learn writes into configuration.yaml. */
export type SamplerSettings =
  | { sampler_type: 'constant'; sampler_parameters: z.output<typeof samplerParameterSchemas.constant> }
  | { sampler_type: 'uniform'; sampler_parameters: z.output<typeof samplerParameterSchemas.uniform> }
  | { sampler_type: 'gaussian'; sampler_parameters: z.output<typeof samplerParameterSchemas.gaussian> }
  | { sampler_type: 'multirangeuniform'; sampler_parameters: z.output<typeof samplerParameterSchemas.multirangeuniform> };

const SamplerMappingSchema = configSection('sampler', {
  sampler_type: SamplerTypeSchema,
  sampler_parameters: z.unknown().optional(),
});

/** A sampler: a plain number (a constant) or `{sampler_type, sampler_parameters}`. */
export const SamplerSchema = z.unknown().transform((value, ctx): SamplerSettings => {
  if (typeof value === 'number') {
    if (Number.isFinite(value)) return { sampler_type: 'constant', sampler_parameters: { seed: -1, value } };
    ctx.addIssue({ code: 'custom', path: [], message: `expected a finite number or a sampler, got ${value}` });
    return z.NEVER;
  }
  const mapping = parseInside(SamplerMappingSchema, value, ctx, []);
  if (!mapping.ok) return z.NEVER;
  const { sampler_type, sampler_parameters } = mapping.data;
  if (sampler_parameters === undefined) {
    ctx.addIssue({ code: 'custom', path: [], message: `a ${sampler_type} sampler needs sampler_parameters (as ML-Agents requires), e.g. sampler_parameters: {}` });
    return z.NEVER;
  }
  const parameters = parseInside(samplerParameterSchemas[sampler_type], sampler_parameters ?? {}, ctx, ['sampler_parameters']);
  return parameters.ok ? ({ sampler_type, sampler_parameters: parameters.data } as SamplerSettings) : z.NEVER;
});

export const CompletionCriteriaSettingsSchema = configSection('completion_criteria', {
  behavior: text(),
  measure: z.enum(['progress', 'reward']).default('reward'),
  min_lesson_length: int(0).default(0),
  signal_smoothing: z.boolean().default(true),
  threshold: z.number().default(0.0),
  require_reset: z.boolean().default(false),
}).superRefine((c, ctx) => {
  if (c.measure === 'progress' && (c.threshold < 0 || c.threshold > 1)) {
    ctx.addIssue({ code: 'custom', path: ['threshold'], message: `threshold ${c.threshold} is a fraction of max_steps when measure is progress, so it must be between 0 and 1` });
  }
});
/** When a curriculum lesson is done. */
export type CompletionCriteriaSettings = z.output<typeof CompletionCriteriaSettingsSchema>;

export const LessonSchema = configSection('lesson', {
  value: SamplerSchema,
  name: text(),
  completion_criteria: optionalSection(CompletionCriteriaSettingsSchema),
});
/** One curriculum lesson: a value (sampler) for the parameter and when to move on. */
export type Lesson = z.output<typeof LessonSchema>;

const CurriculumSchema = configSection('environment parameter', {
  curriculum: z.array(LessonSchema).min(1),
}).superRefine((p, ctx) => {
  p.curriculum.forEach((lesson, i) => {
    if (i < p.curriculum.length - 1 && lesson.completion_criteria === null) {
      ctx.addIssue({ code: 'custom', path: ['curriculum', i, 'completion_criteria'], message: `lesson \`${lesson.name}\` is not the last one, so it needs completion_criteria to say when the next lesson starts` });
    }
  });
});

/**
 * One environment parameter. Written as a number, a sampler or `{curriculum: [...]}`; always resolved,
 * as ML-Agents does, to a curriculum (a single lesson named after the parameter when there is none).
 */
export function environmentParameterSchema(parameterName: string) {
  return z.unknown().transform((value, ctx) => {
    if (value !== null && typeof value === 'object' && !Array.isArray(value) && 'curriculum' in value) {
      const curriculum = parseInside(CurriculumSchema, value, ctx, []);
      return curriculum.ok ? curriculum.data : z.NEVER;
    }
    const sampler = parseInside(SamplerSchema, value, ctx, []);
    if (!sampler.ok) return z.NEVER;
    const resolved: EnvironmentParameterSettings = { curriculum: [{ value: sampler.data, name: parameterName, completion_criteria: null }] };
    return resolved;
  });
}
/** An environment parameter resolved to its curriculum. */
export type EnvironmentParameterSettings = z.output<typeof CurriculumSchema>;

export const EnvironmentParametersSchema = z
  .record(z.string(), z.unknown())
  .transform((params, ctx) => {
    const resolved: Record<string, EnvironmentParameterSettings> = {};
    for (const [name, value] of Object.entries(params)) {
      const parameter = parseInside(environmentParameterSchema(name), value, ctx, [name]);
      if (parameter.ok) resolved[name] = parameter.data;
    }
    return resolved;
  });

// ---------------------------------------------------------------------------------------------
// Run-wide sections (mlagents-learn command-line options live here)

export const EnvironmentSettingsSchema = configSection('env_settings', {
  env_path: text().nullable().default(null),
  env_args: z.array(text()).nullable().default(null),
  // ML-Agents' base_port is 5005 for executables and 5004 for the Editor; our trainer is the one
  // server that game windows connect to, like the Editor, so its default is 5004.
  base_port: int(1).max(65535).default(5004),
  num_envs: int(1).default(1),
  num_areas: int(1).default(1),
  timeout_wait: int(1).default(60),
  seed: int(-1).default(-1),
  max_lifetime_restarts: int(-1).default(10),
  restarts_rate_limit_n: int(-1).default(1),
  restarts_rate_limit_period_s: int(1).default(60),
}).superRefine((e, ctx) => {
  if (e.num_envs > 1 && e.env_path === null) {
    ctx.addIssue({
      code: 'custom',
      path: ['num_envs'],
      message: `num_envs ${e.num_envs} asks the trainer to start game processes, so it needs a game: set env_settings.env_path or pass --env <GameName> (game windows you open yourself need num_envs 1)`,
    });
  }
});
/** Which game to start, how many copies, ports and seed. */
export type EnvironmentSettings = z.output<typeof EnvironmentSettingsSchema>;

export const EngineSettingsSchema = configSection('engine_settings', {
  width: int(1).default(84),
  height: int(1).default(84),
  quality_level: int(0).default(5),
  time_scale: positive().default(20),
  target_frame_rate: int(-1).default(-1),
  capture_frame_rate: int(0).default(60),
  no_graphics: z.boolean().default(false),
  no_graphics_monitor: z.boolean().default(false),
});
/** Game engine settings; only time_scale means something outside Unity (see configFeatures.ts). */
export type EngineSettings = z.output<typeof EngineSettingsSchema>;

export const CheckpointSettingsSchema = configSection('checkpoint_settings', {
  run_id: text().default('ppo'),
  initialize_from: text().nullable().default(null),
  load_model: z.boolean().default(false),
  resume: z.boolean().default(false),
  force: z.boolean().default(false),
  train_model: z.boolean().default(false),
  inference: z.boolean().default(false),
  results_dir: text().default('results'),
});
/** Run id, results folder, resume / force / initialize-from / inference. */
export type CheckpointSettings = z.output<typeof CheckpointSettingsSchema>;

export const TorchSettingsSchema = configSection('torch_settings', {
  device: text().nullable().default(null),
  backend: BackendSchema.default('auto'),
});
/** Compute settings: ML-Agents' torch `device` (kept for compatibility) and our tfjs `backend`. */
export type TorchSettings = z.output<typeof TorchSettingsSchema>;

/** Behaviors by name; a behavior written as an empty key takes all defaults. */
const behaviorsSchema = z.preprocess((v) => (v === null ? undefined : v), z.record(z.string(), z.preprocess((v) => (v === null ? {} : v), TrainerSettingsSchema)).default({}));

export const RunOptionsSchema = configSection('the top level of the file', {
  default_settings: optionalSection(TrainerSettingsSchema),
  behaviors: behaviorsSchema,
  env_settings: defaultedSection(EnvironmentSettingsSchema),
  engine_settings: defaultedSection(EngineSettingsSchema),
  environment_parameters: EnvironmentParametersSchema.nullable().default(null),
  checkpoint_settings: defaultedSection(CheckpointSettingsSchema),
  torch_settings: defaultedSection(TorchSettingsSchema),
  debug: z.boolean().default(false),
});
/** A whole training run, as in results/<run-id>/configuration.yaml: every default filled in. */
export type RunOptions = z.output<typeof RunOptionsSchema>;

/** ML-Agents' TrainerSettings() for a behavior the config does not mention and no default_settings covers. */
export function defaultTrainerSettings(trainerType: TrainerType = 'ppo'): TrainerSettings {
  return TrainerSettingsSchema.parse({ trainer_type: trainerType });
}
