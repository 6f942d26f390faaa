import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadRunOptions } from '../../trainer/config/loadRunOptions.js';
import { runTraining } from '../../trainer/run/TrainingRun.js';
import { readStatsJsonl } from './readStatsJsonl.js';

const AREAS = 3;

describe('custom stats through the full stack', () => {
  it("a headless game's GameOptions.stats reach the trainer's summaries", async () => {
    const results = mkdtempSync(join(tmpdir(), 'three-rl-custom-stats-'));
    const options = loadRunOptions('configs/ppo/Basic.yaml', {
      env: './test/env/fixtures/statsGame.ts',
      numAreas: AREAS,
      seed: 2,
      runId: 'stats',
      resultsDir: results,
      backend: 'wasm',
    });
    options.env_settings.base_port = 0;
    Object.assign(options.behaviors.Basic!, { max_steps: 2000, summary_freq: 500 });
    const trained = await runTraining(options);
    const custom = readStatsJsonl(trained.runDir, 'Basic').filter((l) => l.stats['Test/Areas']);
    // Every summary period has scene steps, so every summary carries the stat.
    expect(custom.length).toBeGreaterThanOrEqual(4);
    // The game adds AREAS every scene step: the game's and the trainer's averages must both keep it.
    for (const l of custom) expect(l.stats['Test/Areas']!.mean).toBe(AREAS);
  }, 600_000);
});
