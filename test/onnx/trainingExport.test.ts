import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { OnnxPolicy } from '../../bridge/inference/OnnxPolicy.js';
import { exportFromRun } from '../../onnx-export/exportFromRun.js';
import { basicBehavior } from '../../sample-games/basic/sim.js';
import { buildProgram } from '../../trainer/cli/main.js';
import { loadRunOptions } from '../../trainer/config/loadRunOptions.js';
import { runTraining } from '../../trainer/run/TrainingRun.js';

function basicOptions(results: string, runId: string, maxSteps: number) {
  const options = loadRunOptions('configs/ppo/Basic.yaml', { env: 'basic', numAreas: 2, seed: 5, runId, resultsDir: results, backend: 'wasm' });
  options.env_settings.base_port = 0;
  const b = options.behaviors.Basic!;
  b.max_steps = maxSteps;
  b.checkpoint_interval = 1000;
  b.keep_checkpoints = 2;
  b.summary_freq = 1000;
  return options;
}

describe('the trainer writes ONNX policies, and `three-rl export` rewrites them', () => {
  it('writes <Behavior>-<step>.onnx beside each kept checkpoint and <Behavior>.onnx at the end; export reproduces them', async () => {
    const results = mkdtempSync(join(tmpdir(), 'three-rl-onnx-run-'));
    const result = await runTraining(basicOptions(results, 'basic', 3000));
    const runDir = result.runDir;
    const step = result.steps.Basic!;
    const behaviorDir = join(runDir, 'Basic');

    // keep_checkpoints 2: the .onnx of a pruned checkpoint goes with it.
    const ckpts = readdirSync(behaviorDir).filter((f) => /^Basic-\d+\.ckpt$/.test(f)).sort();
    const onnx = readdirSync(behaviorDir).filter((f) => f.endsWith('.onnx')).sort();
    expect(ckpts).toHaveLength(2);
    expect(onnx).toEqual(ckpts.map((c) => c.replace('.ckpt', '.onnx')));
    const status = JSON.parse(readFileSync(join(runDir, 'run_logs', 'training_status.json'), 'utf8'));
    for (const c of status.Basic.checkpoints) expect(c.auxillary_file_paths).toEqual([c.file_path.replace('.ckpt', '.onnx')]);
    expect(status.Basic.final_checkpoint.auxillary_file_paths).toEqual([join(runDir, 'Basic.onnx')]);

    const final = join(runDir, 'Basic.onnx');
    const policy = await OnnxPolicy.load(final, { behavior: basicBehavior });
    expect(policy.signature.header.threeRl).toMatchObject({ behaviorName: 'Basic', trainerStep: step, normalize: false });
    await policy.dispose();

    // Re-export from the saved state gives the very same bytes.
    const finalBytes = readFileSync(final);
    const [latest] = exportFromRun({ runDir, out: join(results, 'latest.onnx') });
    expect(latest).toMatchObject({ behavior: 'Basic', step });
    expect(readFileSync(latest!.path).equals(finalBytes)).toBe(true);
    const kept = Number(/Basic-(\d+)\.onnx/.exec(onnx[0]!)![1]);
    const written = readFileSync(join(behaviorDir, onnx[0]!));
    const [numbered] = exportFromRun({ runDir, checkpoint: kept });
    expect(numbered!.path).toBe(join(behaviorDir, onnx[0]!));
    expect(readFileSync(numbered!.path).equals(written)).toBe(true);

    // The CLI.
    const out = join(results, 'cli.onnx');
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const err = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      await buildProgram().parseAsync(['export', runDir, '--out', out], { from: 'user' });
      expect(readFileSync(out).equals(finalBytes)).toBe(true);
      expect(log).toHaveBeenCalledWith(`Exported Basic at step ${step}: ${out}`);
      await buildProgram().parseAsync(['export', runDir, '--checkpoint', '1000'], { from: 'user' });
      expect(err).toHaveBeenCalledWith(expect.stringMatching(/Basic has no checkpoint at step 1000; kept checkpoints: .*Basic-\d+\.ckpt/));
      await buildProgram().parseAsync(['export', results], { from: 'user' });
      expect(err).toHaveBeenCalledWith(expect.stringMatching(/is not a training run: it has no configuration\.yaml/));
      await buildProgram().parseAsync(['export', runDir, '--checkpoint', 'latest'], { from: 'user' });
      expect(err).toHaveBeenCalledWith('[ERROR] --checkpoint: expected a step number such as 50000, got "latest"');
    } finally {
      log.mockRestore();
      err.mockRestore();
      process.exitCode = 0;
    }
  });

  it('writes <Behavior>.onnx when the run is interrupted (Ctrl+C)', async () => {
    const results = mkdtempSync(join(tmpdir(), 'three-rl-onnx-stop-'));
    const stop = new AbortController();
    const options = basicOptions(results, 'stopped', 1_000_000);
    const behaviorDir = join(results, 'stopped', 'Basic');
    const hasCheckpointModel = () => existsSync(behaviorDir) && readdirSync(behaviorDir).some((f) => /^Basic-\d+\.onnx$/.test(f));
    const watcher = setInterval(() => hasCheckpointModel() && stop.abort(), 50);
    try {
      const result = await runTraining(options, { signal: stop.signal });
      expect(result.interrupted).toBe(true);
      const policy = await OnnxPolicy.load(join(result.runDir, 'Basic.onnx'), { behavior: basicBehavior });
      expect(policy.signature.header.threeRl?.trainerStep).toBe(result.steps.Basic);
      await policy.dispose();
    } finally {
      clearInterval(watcher);
    }
  });
});
