import { readdirSync, statSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRunOptions } from '../../trainer/config/loadRunOptions.js';
import { runTraining } from '../../trainer/run/TrainingRun.js';
import { readStatsJsonl } from './readStatsJsonl.js';

const AREAS = 3;

function basicRun(resultsDir: string, extra: { inference?: boolean } = {}) {
  const options = loadRunOptions('configs/ppo/Basic.yaml', {
    env: './test/env/fixtures/statsGame.ts',
    numAreas: AREAS,
    seed: 2,
    runId: 'modes',
    resultsDir,
    backend: 'wasm',
    ...extra,
  });
  options.env_settings.base_port = 0;
  Object.assign(options.behaviors.Basic!, { max_steps: 2000, summary_freq: 500 });
  return options;
}

/** Every file of a run's behavior directory with its size and modification time. */
function snapshotFiles(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const name of readdirSync(dir)) {
    if (name.startsWith('events.out.tfevents') || name === 'stats.jsonl') continue;
    const s = statSync(join(dir, name));
    out[name] = `${s.size}@${s.mtimeMs}`;
  }
  return out;
}

describe('run modes through the full stack', () => {
  it("a headless game's custom stats reach the summaries, and --inference plays the checkpoint without learning", async () => {
    const results = mkdtempSync(join(tmpdir(), 'three-rl-modes-'));
    const trained = await runTraining(basicRun(results));
    const lines = readStatsJsonl(trained.runDir, 'Basic');
    const custom = lines.filter((l) => l.stats['Test/Areas']);
    expect(custom.length).toBeGreaterThan(0);
    // The game adds AREAS every scene step: the game's and the trainer's averages must both keep it.
    for (const l of custom) expect(l.stats['Test/Areas']!.mean).toBe(AREAS);

    const behaviorDir = join(trained.runDir, 'Basic');
    const before = snapshotFiles(behaviorDir);
    const stop = new AbortController();
    const inference = runTraining(basicRun(results, { inference: true }), { signal: stop.signal, pages: false });
    // Stop once inference has written two summaries past the trained steps.
    const trainedSteps = trained.steps.Basic!;
    const deadline = Date.now() + 300_000;
    for (;;) {
      const past = readStatsJsonl(trained.runDir, 'Basic').filter((l) => l.step > trainedSteps);
      if (past.length >= 2) break;
      if (Date.now() > deadline) throw new Error('--inference wrote no summaries past the trained steps');
      await new Promise((r) => setTimeout(r, 200));
    }
    stop.abort();
    const result = await inference;
    expect(result.steps.Basic).toBeGreaterThan(trainedSteps);
    const past = readStatsJsonl(trained.runDir, 'Basic').filter((l) => l.step > trainedSteps);
    for (const l of past) {
      expect(l.stats['Is Training']!.mean).toBe(0);
      expect(l.stats['Losses/Policy Loss']).toBeUndefined();
      expect(l.stats['Environment/Cumulative Reward']?.count ?? 0).toBeGreaterThan(0);
    }
    // Nothing saved: checkpoints and exported models are as training left them.
    expect(snapshotFiles(behaviorDir)).toEqual(before);
  }, 600_000);
});
