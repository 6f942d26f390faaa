/**
 * The one table of ML-Agents config features and what three-rl-agents does with each. Supporting a
 * feature later is one edit here (plus the code that implements it).
 *
 * - supported:   honoured by the trainer.
 * - parsed:      validated and resolved here; the trainer part is built by later work.
 * - ignored:     accepted for compatibility, has no effect here; a warning says so when it is set
 *                to anything but its "off" value.
 * - unsupported: loading stops with "X is an ML-Agents feature that three-rl-agents does not
 *                support yet" when it is set to anything but its "off" value.
 */
import type { ConfigProblem } from './ConfigError.js';
import { formatConfigPath } from './ConfigError.js';

/** What three-rl-agents does with an ML-Agents config feature. */
export type FeatureStatus = 'supported' | 'parsed' | 'ignored' | 'unsupported';

/** One row of the feature table. */
export interface ConfigFeature {
  /** `trainer`: path inside one behavior's settings (and default_settings); `run`: path from the top of the file. */
  readonly scope: 'trainer' | 'run';
  /** Dotted key path; `*` matches any key (e.g. every reward signal). */
  readonly path: string;
  /** What the feature is, for messages. */
  readonly name: string;
  readonly status: FeatureStatus;
  /** True when the value written at `path` turns the feature on; off values ("null", "false", the default) load quietly. */
  readonly inUse: (value: unknown) => boolean;
  /** Why, or what to do instead. */
  readonly note: string;
}

const notNull = (v: unknown) => v !== null && v !== undefined;
const isTrue = (v: unknown) => v === true;
const present = (v: unknown) => v !== undefined;
const differsFrom = (off: unknown) => (v: unknown) => v !== undefined && v !== null && v !== off;

const unityEngine = 'it is a Unity player setting, and three-rl-agents games are Node processes or browser tabs';
const visualOnly = 'it only matters for visual (camera) observations, which three-rl-agents games do not have, and ML-Agents also ignores it for vector and ray observations';

/** Every ML-Agents config feature whose support is not simply "yes". */
export const CONFIG_FEATURES: readonly ConfigFeature[] = [
  // Trainers
  { scope: 'trainer', path: 'trainer_type', name: 'the SAC trainer (trainer_type: sac)', status: 'unsupported', inUse: (v) => v === 'sac', note: 'use trainer_type: ppo' },
  { scope: 'trainer', path: 'trainer_type', name: 'the MA-POCA trainer (trainer_type: poca)', status: 'parsed', inUse: (v) => v === 'poca', note: 'cooperative groups with a centralised critic' },
  { scope: 'trainer', path: 'hyperparameters.shared_critic', name: 'a critic sharing the policy network (shared_critic)', status: 'parsed', inUse: isTrue, note: 'ppo only' },
  { scope: 'trainer', path: 'self_play', name: 'self-play (self_play)', status: 'parsed', inUse: notNull, note: 'ghost opponents and ELO' },
  { scope: 'trainer', path: 'behavioral_cloning', name: 'behavioral cloning (behavioral_cloning)', status: 'unsupported', inUse: notNull, note: 'remove the section or set it to null' },
  { scope: 'trainer', path: 'init_path', name: 'initializing a behavior from a saved model (init_path)', status: 'supported', inUse: notNull, note: 'a three-rl-agents checkpoint (.ckpt) of the behavior; weights only' },
  { scope: 'trainer', path: 'threaded', name: 'updating the model while the environment steps (threaded)', status: 'supported', inUse: isTrue, note: 'the update runs a minibatch at a time between the games\' steps; faster when the games have cores of their own, but runs are no longer repeatable' },

  // Networks
  { scope: 'trainer', path: 'network_settings.memory', name: 'recurrent memory (network_settings.memory, an LSTM)', status: 'unsupported', inUse: notNull, note: 'remove memory or set it to null; stack observations in the game instead' },
  { scope: 'trainer', path: 'network_settings.deterministic', name: 'deterministic actions during training (network_settings.deterministic)', status: 'unsupported', inUse: isTrue, note: 'remove it or set it to false; exported ONNX models have deterministic outputs' },
  { scope: 'trainer', path: 'network_settings.vis_encode_type', name: 'visual encoders (vis_encode_type)', status: 'ignored', inUse: differsFrom('simple'), note: visualOnly },
  { scope: 'trainer', path: 'network_settings.goal_conditioning_type', name: 'goal conditioning (goal_conditioning_type)', status: 'ignored', inUse: differsFrom('hyper'), note: 'it only matters for goal-signal observations, which three-rl-agents behaviors do not declare' },

  // Reward signals
  { scope: 'trainer', path: 'reward_signals.gail', name: 'GAIL imitation rewards (reward_signals.gail)', status: 'unsupported', inUse: present, note: 'remove the gail signal' },
  { scope: 'trainer', path: 'reward_signals.curiosity', name: 'curiosity rewards (reward_signals.curiosity)', status: 'supported', inUse: present, note: 'ICM' },
  { scope: 'trainer', path: 'reward_signals.rnd', name: 'random network distillation rewards (reward_signals.rnd)', status: 'supported', inUse: present, note: '' },
  { scope: 'trainer', path: 'reward_signals.*.network_settings.memory', name: 'recurrent memory in a reward signal network', status: 'unsupported', inUse: notNull, note: 'remove memory or set it to null' },
  { scope: 'trainer', path: 'reward_signals.*.network_settings.vis_encode_type', name: 'visual encoders in a reward signal network', status: 'ignored', inUse: differsFrom('simple'), note: visualOnly },

  // Environments and engine
  { scope: 'run', path: 'environment_parameters', name: 'environment parameters, samplers and curricula (environment_parameters)', status: 'parsed', inUse: notNull, note: 'sent to games in `welcome`/`parameters`' },
  { scope: 'run', path: 'env_settings.env_args', name: 'extra arguments for game processes (env_args)', status: 'parsed', inUse: notNull, note: '' },
  { scope: 'run', path: 'env_settings.timeout_wait', name: 'the wait for a game to connect (timeout_wait)', status: 'parsed', inUse: differsFrom(60), note: '' },
  { scope: 'run', path: 'env_settings.max_lifetime_restarts', name: 'restarting crashed games (max_lifetime_restarts)', status: 'parsed', inUse: differsFrom(10), note: '' },
  { scope: 'run', path: 'env_settings.restarts_rate_limit_n', name: 'restart rate limits (restarts_rate_limit_n)', status: 'parsed', inUse: differsFrom(1), note: '' },
  { scope: 'run', path: 'env_settings.restarts_rate_limit_period_s', name: 'restart rate limits (restarts_rate_limit_period_s)', status: 'parsed', inUse: differsFrom(60), note: '' },
  { scope: 'run', path: 'engine_settings.width', name: 'engine_settings.width', status: 'ignored', inUse: differsFrom(84), note: unityEngine },
  { scope: 'run', path: 'engine_settings.height', name: 'engine_settings.height', status: 'ignored', inUse: differsFrom(84), note: unityEngine },
  { scope: 'run', path: 'engine_settings.quality_level', name: 'engine_settings.quality_level', status: 'ignored', inUse: differsFrom(5), note: unityEngine },
  { scope: 'run', path: 'engine_settings.target_frame_rate', name: 'engine_settings.target_frame_rate', status: 'ignored', inUse: differsFrom(-1), note: unityEngine },
  { scope: 'run', path: 'engine_settings.capture_frame_rate', name: 'engine_settings.capture_frame_rate', status: 'ignored', inUse: differsFrom(60), note: unityEngine },
  { scope: 'run', path: 'engine_settings.no_graphics', name: 'engine_settings.no_graphics', status: 'ignored', inUse: isTrue, note: 'games started by the trainer never render, and browser windows always do' },
  { scope: 'run', path: 'engine_settings.no_graphics_monitor', name: 'engine_settings.no_graphics_monitor', status: 'ignored', inUse: isTrue, note: unityEngine },
  { scope: 'run', path: 'torch_settings.device', name: 'the PyTorch device (torch_settings.device)', status: 'ignored', inUse: notNull, note: 'set torch_settings.backend or pass --backend instead; `auto` already prefers a GPU when tfjs-node-gpu is installed' },
  { scope: 'run', path: 'checkpoint_settings.load_model', name: 'checkpoint_settings.load_model', status: 'ignored', inUse: isTrue, note: 'ML-Agents deprecated it; use resume' },
  { scope: 'run', path: 'checkpoint_settings.train_model', name: 'checkpoint_settings.train_model', status: 'ignored', inUse: isTrue, note: 'ML-Agents deprecated it; training is the default and --inference turns it off' },
];

/** Every (path, value) in `root` matching a dotted pattern with `*` wildcards. */
function matches(root: unknown, pattern: readonly string[], at: string[] = []): Array<[string[], unknown]> {
  if (pattern.length === 0) return [[at, root]];
  if (root === null || typeof root !== 'object' || Array.isArray(root)) return [];
  const [head, ...rest] = pattern;
  const record = root as Record<string, unknown>;
  const keys = head === '*' ? Object.keys(record) : Object.prototype.hasOwnProperty.call(record, head) ? [head] : [];
  return keys.flatMap((key) => matches(record[key], rest, [...at, key]));
}

/** What a feature check found: problems stop loading, warnings are told to the user. */
export interface FeatureCheck {
  readonly problems: ConfigProblem[];
  readonly warnings: string[];
}

/**
 * Checks raw (as written) config data against the feature table. `base` is where `data` sits in
 * the file: `[]` for run scope, `['behaviors', name]` or `['default_settings']` for trainer scope.
 */
export function checkConfigFeatures(scope: 'trainer' | 'run', data: unknown, base: readonly string[], into: FeatureCheck): void {
  for (const feature of CONFIG_FEATURES) {
    if (feature.scope !== scope || (feature.status !== 'unsupported' && feature.status !== 'ignored')) continue;
    for (const [path, value] of matches(data, feature.path.split('.'))) {
      if (!feature.inUse(value)) continue;
      const where = formatConfigPath([...base, ...path]);
      if (feature.status === 'unsupported') {
        into.problems.push({
          path: where,
          message: `${feature.name} is an ML-Agents feature that three-rl-agents does not support yet; ${feature.note}`,
        });
      } else {
        into.warnings.push(`${where}: ${JSON.stringify(value)} has no effect in three-rl-agents; ${feature.note}`);
      }
    }
  }
}
