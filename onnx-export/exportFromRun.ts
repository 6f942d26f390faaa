import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseConfigYaml } from '../trainer/config/configYaml.js';
import { resolveRunOptions, settingsForBehavior } from '../trainer/config/loadRunOptions.js';
import { CheckpointStore } from '../trainer/checkpoint/CheckpointStore.js';
import { TrainingStatus } from '../trainer/checkpoint/TrainingStatus.js';
import { PpoOptimizer, type PpoLearnerState } from '../trainer/ppo/PpoOptimizer.js';
import { policyModelPath } from './onnxCheckpointExport.js';
import { writePolicyModel } from './writePolicyModel.js';

/** What `three-rl export` re-exports. */
export interface ExportFromRunOptions {
  /** results/<run-id> of a training run. */
  runDir: string;
  /** Only this behavior (default: every behavior of the run that has a checkpoint). */
  behavior?: string;
  /** The numbered checkpoint of this step (default: the latest, checkpoint.ckpt). */
  checkpoint?: number;
  /** Output file (only with a single behavior); default as the trainer names its files. */
  out?: string;
}

/** One written model. */
export interface ExportedModel {
  behavior: string;
  step: number;
  path: string;
}

/**
 * Rebuilds each behavior's networks from saved state and writes its ONNX model: the spec and the
 * learner state come from the checkpoint, the network shape from the run's configuration.yaml.
 * Without --checkpoint the model goes to `<run>/<Behavior>.onnx`, as at the end of training; with
 * it, beside the checkpoint as `<Behavior>-<step>.onnx`.
 */
export function exportFromRun(opts: ExportFromRunOptions): ExportedModel[] {
  const runDir = resolve(opts.runDir);
  const configPath = join(runDir, 'configuration.yaml');
  if (!existsSync(configPath)) {
    throw new Error(`${runDir} is not a training run: it has no configuration.yaml (pass results/<run-id>)`);
  }
  if (opts.checkpoint !== undefined && (!Number.isInteger(opts.checkpoint) || opts.checkpoint < 0)) {
    throw new Error(`--checkpoint: expected a step number such as 50000, got ${opts.checkpoint}`);
  }
  // Only the behaviors' settings matter here; the run's env and engine sections (ports, game paths)
  // are left out so that a run started from code with values the CLI refuses still exports.
  const doc = parseConfigYaml(readFileSync(configPath, 'utf8'), configPath);
  const data = (doc.data ?? {}) as Record<string, unknown>;
  const options = resolveRunOptions({ behaviors: data.behaviors, default_settings: data.default_settings }, configPath, {}, {}, doc.locate);
  const behaviors = opts.behavior !== undefined ? [opts.behavior] : behaviorsWithCheckpoints(runDir);
  if (behaviors.length === 0) throw new Error(`${runDir} has no checkpoint yet: nothing to export (train at least until the first checkpoint_interval)`);
  if (opts.out !== undefined && behaviors.length > 1) {
    throw new Error(`--out names one file, but the run has ${behaviors.length} behaviors (${behaviors.join(', ')}); add --behavior <name>`);
  }
  // Read-only use of the store: only load() and pathFor() are called, nothing is written.
  const status = new TrainingStatus(join(runDir, 'run_logs', 'training_status.json'), {});
  return behaviors.map((behavior) => {
    const settings = settingsForBehavior(options, behavior, configPath);
    const store = new CheckpointStore(runDir, behavior, settings.keep_checkpoints, status);
    const file = opts.checkpoint === undefined ? store.latestPath : store.pathFor(opts.checkpoint);
    if (opts.checkpoint !== undefined && !existsSync(file)) {
      const kept = readdirSync(store.dir).filter((f) => f.endsWith('.ckpt') && f !== 'checkpoint.ckpt');
      throw new Error(`${behavior} has no checkpoint at step ${opts.checkpoint}; kept checkpoints: ${kept.join(', ') || 'none'}`);
    }
    const ckpt = store.load(file);
    const learner = ckpt.learner as PpoLearnerState;
    const meta = learner?.networks?.meta;
    if (!meta) throw new Error(`${file}: the checkpoint holds no network state (learner.networks); it was not written by a PPO trainer`);
    // Reward signal names and shared_critic come from the checkpoint: they shape the critic only,
    // but setState checks every variable, and the checkpoint knows what it saved.
    const optimizer = new PpoOptimizer({
      spec: ckpt.spec,
      network: settings.network_settings,
      rewardSignals: meta.rewardSignals,
      sharedCritic: meta.sharedCritic,
      seed: 0,
    });
    try {
      optimizer.setState(learner);
      const path = opts.out !== undefined ? resolve(opts.out) : policyModelPath(runDir, behavior, opts.checkpoint === undefined ? null : ckpt.step);
      return { behavior, step: ckpt.step, path: writePolicyModel(optimizer.policy, ckpt.spec, ckpt.step, path) };
    } finally {
      optimizer.dispose();
    }
  });
}

function behaviorsWithCheckpoints(runDir: string): string[] {
  return readdirSync(runDir)
    .filter((name) => statSync(join(runDir, name)).isDirectory() && existsSync(join(runDir, name, 'checkpoint.ckpt')))
    .sort();
}
