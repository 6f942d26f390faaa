import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { basicBehavior } from '../../sample-games/basic/sim.js';
import { selectBackend } from '../../trainer/backend/selectBackend.js';
import { CheckpointStore } from '../../trainer/checkpoint/CheckpointStore.js';
import { TrainingStatus } from '../../trainer/checkpoint/TrainingStatus.js';
import { loadRunOptions } from '../../trainer/config/loadRunOptions.js';
import { defaultTrainerSettings } from '../../trainer/config/schema.js';
import type { PpoLearnerState } from '../../trainer/ppo/PpoOptimizer.js';
import { BehaviorTrainer } from '../../trainer/run/BehaviorTrainer.js';
import { runTraining } from '../../trainer/run/TrainingRun.js';
import { StatsReporter } from '../../trainer/stats/StatsReporter.js';
import { readStatsJsonl } from './readStatsJsonl.js';

const crashingGame = fileURLToPath(new URL('../env/fixtures/crashingGame.ts', import.meta.url));

describe('a run that stops on an error', () => {
  beforeAll(async () => {
    await selectBackend('wasm');
  });

  it('saves first, as ML-Agents does, so that --resume continues from where the game crashed', async () => {
    const results = mkdtempSync(join(tmpdir(), 'three-rl-crash-'));
    // ML-Agents' Basic config, with a game that throws at its 1,200th scene step every time.
    const config = join(results, 'Basic.yaml');
    writeFileSync(
      config,
      `${readFileSync('configs/ppo/Basic.yaml', 'utf8')}environment_parameters:\n  crashAt: 1200\n  alwaysCrash: 1\n`,
    );
    const base = { numAreas: 2, seed: 4, runId: 'crash', resultsDir: results, backend: 'wasm' };
    const crashing = loadRunOptions(config, { ...base, env: crashingGame });
    crashing.env_settings.base_port = 0;
    crashing.env_settings.max_lifetime_restarts = 0;
    await expect(runTraining(crashing, { pages: false })).rejects.toThrow(/died \(exit code 1: crashing on purpose at step 1200\) and is not restarted/);

    const runDir = join(results, 'crash');
    const status = JSON.parse(readFileSync(join(runDir, 'run_logs', 'training_status.json'), 'utf8'));
    const saved = status.Basic.final_checkpoint;
    // No periodic checkpoint was due (checkpoint_interval 500k): this is the save on the error,
    // after several updates of buffer_size 256.
    expect(status.Basic.checkpoints).toHaveLength(1);
    expect(saved.steps).toBeGreaterThan(3 * 256);
    expect(existsSync(saved.file_path)).toBe(true);
    expect(existsSync(join(runDir, 'Basic.onnx'))).toBe(true);
    const lastSummary = readStatsJsonl(runDir, 'Basic').at(-1)!;
    expect(lastSummary.step).toBe(saved.steps);

    // --resume, now with the game that does not crash, starts at the saved step.
    const resumed = loadRunOptions('configs/ppo/Basic.yaml', { ...base, env: 'basic', resume: true });
    resumed.env_settings.base_port = 0;
    Object.assign(resumed.behaviors.Basic!, { max_steps: saved.steps + 1000 });
    const r = await runTraining(resumed, { pages: false });
    expect(r.steps.Basic).toBeGreaterThanOrEqual(saved.steps + 1000);
    const after = readStatsJsonl(runDir, 'Basic').map((l) => l.step).filter((s) => s > saved.steps);
    expect(after.length).toBeGreaterThan(0);
    expect(Math.min(...after)).toBeGreaterThanOrEqual(saved.steps + 1000 - 2000);
  }, 60_000);

  it('refuses to save a diverged network, naming the variable, and keeps the last good checkpoint', () => {
    const dir = mkdtempSync(join(tmpdir(), 'three-rl-nan-'));
    const settings = defaultTrainerSettings();
    settings.network_settings.hidden_units = 8;
    settings.network_settings.num_layers = 1;
    const status = new TrainingStatus(join(dir, 'training_status.json'), {});
    const checkpoints = new CheckpointStore(dir, 'Basic', 5, status);
    const trainer = new BehaviorTrainer({
      spec: basicBehavior,
      settings,
      stats: new StatsReporter('Basic', []),
      checkpoints,
      seed: 1,
      training: true,
    });
    try {
      // Every save, periodic or final, goes through saveCheckpoint.
      trainer.saveCheckpoint();
      const good = readFileSync(checkpoints.latestPath);
      const state: PpoLearnerState = trainer.optimizer.getState();
      const k = state.networks.weights.length - 1;
      const name = state.networks.meta.variables[k]!.name;
      for (const bad of [Number.NaN, Number.POSITIVE_INFINITY]) {
        state.networks.weights[k]![0] = bad;
        trainer.optimizer.setState(state);
        expect(() => trainer.saveCheckpoint()).toThrow(`Basic diverged by step 0: network variable '${name}' holds NaN or infinite values`);
      }
      expect(readFileSync(checkpoints.latestPath).equals(good)).toBe(true);
    } finally {
      trainer.dispose();
    }
  });
});
