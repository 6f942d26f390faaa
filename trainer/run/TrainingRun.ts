import os from 'node:os';
import { join } from 'node:path';
import type { RunOptions } from '../config/schema.js';
import { settingsForBehavior } from '../config/loadRunOptions.js';
import { selectBackend, trainingWasmThreads } from '../backend/selectBackend.js';
import { EnvManager } from '../env/EnvManager.js';
import { GameProcessPool } from '../env/GameProcessPool.js';
import { CheckpointStore } from '../checkpoint/CheckpointStore.js';
import { TrainingStatus } from '../checkpoint/TrainingStatus.js';
import { createDefaultStatsWriters, type DefaultStatsWriters } from '../stats/DefaultStatsWriters.js';
import { StatsReporter } from '../stats/StatsReporter.js';
import { BehaviorTrainer } from './BehaviorTrainer.js';
import { prepareRunDirectory } from './RunDirectory.js';
import { checkTrainerSupport } from './checkTrainerSupport.js';
import { constantEnvironmentParameters } from './environmentParameters.js';
import type { BehaviorSpec } from '../../bridge/spec/BehaviorSpec.js';
import type { PpoOptimizer } from '../ppo/PpoOptimizer.js';
import { exportOnnxPolicy } from '../../onnx-export/onnxCheckpointExport.js';
import { packageVersion } from '../../onnx-export/packageVersion.js';
import { LiveStats } from '../live/LiveStats.js';
import { HierarchicalTimer } from '../stats/HierarchicalTimer.js';
import { trainingTimeSummary } from '../stats/TrainingTimeSummary.js';
import { atomicWrite } from '../checkpoint/atomicWrite.js';
import { TrainingPages, type TrainingPageUrls } from '../live/TrainingPages.js';

/** Hooks a caller can add to a run (tests, the ONNX exporter, the live plots page). */
export interface TrainingRunHooks {
  /** Files to write beside each checkpoint and at the end; returns their paths. Default: the ONNX policy (exportOnnxPolicy). */
  exportPolicy?: (behavior: BehaviorSpec, optimizer: PpoOptimizer, step: number, runDir: string, final: boolean) => string[];
  /** Stops the run from outside (tests); Ctrl+C does the same. */
  signal?: AbortSignal;
  /** Serve the live plots page (and, without --env, the game pages) on 127.0.0.1; default true. */
  pages?: boolean;
  /** Called with the pages' URLs once they are served. */
  onPages?: (urls: TrainingPageUrls) => void;
}

/** What a finished run leaves behind. */
export interface TrainingRunResult {
  runDir: string;
  backend: string;
  /** Final step per behavior. */
  steps: Record<string, number>;
  interrupted: boolean;
}


/**
 * One `three-rl train` run, as ML-Agents' TrainerController: prepares results/<run-id>, starts
 * the server (and the game processes with --env), builds a trainer per behavior as games declare
 * them, and stops when every trainer reached max_steps or on Ctrl+C, saving final state.
 */
export async function runTraining(options: RunOptions, hooks: TrainingRunHooks = {}): Promise<TrainingRunResult> {
  const cs = options.checkpoint_settings;
  const env = options.env_settings;
  const exportPolicy = hooks.exportPolicy ?? exportOnnxPolicy;
  for (const [name, settings] of Object.entries(options.behaviors)) checkTrainerSupport(name, settings);
  if (options.default_settings) checkTrainerSupport('default_settings', options.default_settings);
  const runDir = prepareRunDirectory(options);
  // Unlike ML-Agents, --inference keeps the run's training curves: its summaries are appended.
  const writers: DefaultStatsWriters = createDefaultStatsWriters(runDir, { resume: cs.resume || cs.inference });
  const log = (line: string) => writers.console.info(line);
  const wasmThreads =
    wasmThreadsFromEnvironment() ??
    trainingWasmThreads({
      cores: os.availableParallelism(),
      localGames: env.env_path ? env.num_envs : 0,
      threadedUpdates: Object.values(options.behaviors).some((b) => b.threaded),
    });
  const backend = await selectBackend(options.torch_settings.backend, { wasmThreads });
  const threads = backend === 'wasm' ? (await import('../backend/ThreadedWasm.js')).threadedWasmThreads : 0;
  log(`Backend: ${backend}${threads > 0 ? ` (${threads} thread${threads > 1 ? 's' : ''})` : ''}`);
  const seed = env.seed === -1 ? Math.floor(Math.random() * 1_000_000) : env.seed;
  if (env.seed === -1) log(`Seed: ${seed} (pass --seed to repeat this run)`);

  const status = new TrainingStatus(join(runDir, 'run_logs', 'training_status.json'), {
    three_rl_agents_version: packageVersion(),
    stats_format_version: '0.3.0',
  });
  const trainers = new Map<string, BehaviorTrainer>();
  const timer = new HierarchicalTimer();
  const live = new LiveStats(cs.run_id);
  const statsWriters = [...writers.all, live];
  let fatal: Error | null = null;
  let resolveDone!: () => void;
  const done = new Promise<void>((r) => (resolveDone = r));
  const checkDone = () => {
    if (cs.inference) return;
    if (trainers.size > 0 && [...trainers.values()].every((t) => t.finished)) resolveDone();
  };

  const makeTrainer = (spec: BehaviorSpec): BehaviorTrainer => {
    try {
      return buildTrainer(spec);
    } catch (e) {
      // A behavior the run cannot train ends the run (the game alone is not at fault).
      fatal = e instanceof Error ? e : new Error(String(e));
      resolveDone();
      throw e;
    }
  };
  const buildTrainer = (spec: BehaviorSpec): BehaviorTrainer => {
    const settings = settingsForBehavior(options, spec.name);
    const stats = new StatsReporter(spec.name, statsWriters);
    const checkpoints = new CheckpointStore(runDir, spec.name, settings.keep_checkpoints, status);
    const trainer = new BehaviorTrainer({
      spec,
      settings,
      stats,
      checkpoints,
      seed: seed + trainers.size * 7919,
      training: !cs.inference,
      exportPolicy: (opt, step) => exportPolicy(spec, opt, step, runDir, false),
      onProgress: () => checkDone(),
      timer,
      backend,
    });
    if (cs.resume || cs.inference) {
      if (checkpoints.hasLatest()) {
        const ckpt = checkpoints.load();
        trainer.restore(ckpt);
        log(`Resuming ${spec.name} from step ${ckpt.step} (${checkpoints.latestPath})`);
      } else if (cs.inference) {
        throw new Error(`--inference: run '${cs.run_id}' has no checkpoint of ${spec.name} to run`);
      }
    } else if (cs.initialize_from) {
      const source = new CheckpointStore(join(cs.results_dir, cs.initialize_from), spec.name, settings.keep_checkpoints, status);
      if (!source.hasLatest()) {
        throw new Error(`--initialize-from ${cs.initialize_from}: that run has no checkpoint of ${spec.name} (no ${source.latestPath}); initialize from a run that trained ${spec.name}`);
      }
      trainer.restore(source.load(), true);
      log(`Initialized ${spec.name} from run '${cs.initialize_from}'`);
    } else if (settings.init_path) {
      // ML-Agents' per-behavior init_path: a checkpoint file of this behavior, weights only.
      trainer.restore(checkpoints.load(settings.init_path), true);
      log(`Initialized ${spec.name} from ${settings.init_path}`);
    }
    trainers.set(spec.name, trainer);
    return trainer;
  };

  const manager = new EnvManager({
    port: env.base_port,
    seed,
    timeScale: options.engine_settings.time_scale,
    parameters: constantEnvironmentParameters(options.environment_parameters),
    log,
    policyFactory: (spec) => makeTrainer(spec),
    onStats: (stats) => {
      // Like ML-Agents' StatsSideChannel, a game's custom stats go to every behavior's summary.
      for (const t of trainers.values()) t.stats.addEnvironmentStats(stats);
    },
    onError: (err) => {
      fatal = err;
      resolveDone();
    },
  });
  const port = await manager.start();
  log(`Listening for games on ${manager.url}`);

  let pool: GameProcessPool | null = null;
  let interrupted = false;
  const onSigint = () => {
    if (interrupted) {
      // A second Ctrl+C: the user does not want to wait for the save.
      process.exit(130);
    }
    interrupted = true;
    log(
      cs.inference
        ? 'Inference was stopped. Closing the games (Ctrl+C again to quit at once).'
        : 'Learning was interrupted. Please wait while the final state is saved (Ctrl+C again to quit at once).',
    );
    resolveDone();
  };
  // SIGTERM (a CI timeout, `kill`) saves like Ctrl+C: hours of training are not lost to a signal.
  // `on`, not `once`: the game pool checks whether anyone else handles the signal.
  process.on('SIGINT', onSigint);
  process.on('SIGTERM', onSigint);
  hooks.signal?.addEventListener('abort', onSigint, { once: true });

  let pages: TrainingPages | null = null;
  try {
    if (hooks.pages !== false) {
      try {
        pages = await TrainingPages.start({
          stats: live,
          behaviors: Object.keys(options.behaviors),
          trainerUrl: manager.url,
          // Next to the trainer's port, as ML-Agents numbers its environments; tests' port 0 stays 0.
          port: env.base_port === 0 || port >= 65535 ? 0 : port + 1,
          resultsDir: cs.results_dir,
          areas: env.num_areas,
          offerGamePages: !env.env_path,
          log,
        });
        hooks.onPages?.(pages.urls);
      } catch (e) {
        log(`The live plots page could not be served (${(e as Error).message}); training goes on without it`);
      }
    }
    if (env.env_path) {
      pool = new GameProcessPool({
        game: env.env_path,
        numEnvs: env.num_envs,
        numAreas: env.num_areas,
        url: `ws://127.0.0.1:${port}`,
        seed,
        parameters: constantEnvironmentParameters(options.environment_parameters),
        maxLifetimeRestarts: env.max_lifetime_restarts,
        restartsRateLimitN: env.restarts_rate_limit_n,
        restartsRateLimitPeriodS: env.restarts_rate_limit_period_s,
        startTimeoutMs: env.timeout_wait * 1000,
        log,
        onFatal: (err) => {
          fatal = err;
          resolveDone();
        },
      });
      log(`Starting ${env.num_envs} headless ${env.env_path} process(es) with ${env.num_areas} area(s) each`);
      await pool.start();
    } else if (!pages) {
      log(`No --env given: open a game page in train mode; it connects to ${manager.url}`);
    }
    await done;
  } finally {
    process.off('SIGINT', onSigint);
    process.off('SIGTERM', onSigint);
    if (pool) await pool.stop();
    await manager.close(interrupted ? 'training interrupted' : 'training finished');
    await pages?.close();
    live.close();
  }

  // As ML-Agents, whose trainer controller saves its models in a `finally`, a run that stops on an
  // error saves too: a game that keeps crashing, or a failed learner thread, after hours of
  // training then costs a --resume, not everything since the last checkpoint. The error is thrown
  // once everything is saved.
  const steps: Record<string, number> = {};
  for (const [name, t] of trainers) {
    steps[name] = t.trainer.currentStep;
    // A threaded update still running finishes first: its weights belong in the final save.
    const failure = await t.trainer.settled();
    fatal ??= failure;
    if (!cs.inference) {
      try {
        t.writeSummary();
        // Refuses a network that diverged to NaN: the last good checkpoint stays the latest.
        const path = t.saveCheckpoint();
        const extra = exportPolicy(t.spec, t.optimizer, t.trainer.currentStep, runDir, true);
        status.setFinal(name, {
          steps: t.trainer.currentStep,
          file_path: path,
          reward: null,
          creation_time: Date.now() / 1000,
          auxillary_file_paths: extra,
        });
        log(`Saved ${name} at step ${t.trainer.currentStep}${fatal ? ' before stopping on the error below' : ''}: ${path}`);
        for (const f of extra) log(`Exported ${f}`);
      } catch (e) {
        // The error that stopped the run is the one to report; a save it also broke comes second.
        // A save that fails on its own becomes the run's error, thrown once the rest is closed.
        if (fatal) log(`Could not save ${name} after the error below: ${(e as Error).message}`);
        else fatal = e instanceof Error ? e : new Error(String(e));
      }
    }
    t.dispose();
  }
  // Learner threads work beside the trainer's thread, outside its timer's blocks: their totals go
  // to the metadata and the log.
  const learnerSeconds = [...trainers].flatMap(([name, t]) => (t.learnerThread ? [[name, t.learnerThread.updateSeconds] as const] : []));
  writeTimers(timer, runDir, backend, threads, Object.fromEntries(learnerSeconds.map(([name, s]) => [`learner_thread_seconds.${name}`, s.toFixed(3)])));
  if (trainers.size > 0) log(trainingTimeSummary(timer));
  for (const [name, s] of learnerSeconds) log(`${name}: the learner thread spent ${s.toFixed(0)} s updating, beside the games`);
  for (const w of writers.all) w.close?.();
  if (fatal) throw fatal;
  return { runDir, backend, steps, interrupted };
}

/** run_logs/timers.json, as ML-Agents writes it at the end of a run. */
function writeTimers(timer: HierarchicalTimer, runDir: string, backend: string, threads: number, extra: Record<string, string>): void {
  const tree = timer.tree({
    ...extra,
    three_rl_agents_version: packageVersion(),
    node_version: process.version,
    command_line_arguments: process.argv.slice(2).join(' '),
    backend: threads > 0 ? `${backend} (${threads} thread${threads > 1 ? 's' : ''})` : backend,
  });
  atomicWrite(join(runDir, 'run_logs', 'timers.json'), JSON.stringify(tree, null, 2));
}

/**
 * THREE_RL_WASM_THREADS overrides the learner's WASM thread count: for machines shared with other
 * work (a test suite running files side by side), where XNNPACK's spinning threads lose their
 * cores to other processes and every op waits.
 */
function wasmThreadsFromEnvironment(): number | null {
  const raw = process.env.THREE_RL_WASM_THREADS;
  if (raw === undefined || raw === '') return null;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1) {
    throw new Error(`THREE_RL_WASM_THREADS: expected an integer >= 1 (WASM threads of the learner), got ${JSON.stringify(raw)}; unset it to let the trainer choose`);
  }
  return n;
}
