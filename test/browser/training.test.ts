import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRunOptions } from '../../trainer/config/loadRunOptions.js';
import type { TrainingPageUrls } from '../../trainer/live/TrainingPages.js';
import { runTraining } from '../../trainer/run/TrainingRun.js';
import { BrowserHarness, withScreenshot } from './BrowserHarness.js';

/**
 * Training in an open window: the trainer runs without --env, a Chromium tab opens the game page it
 * prints (train mode), and that tab is the only source of experience. The plots page of the same
 * run shows the run's numbers.
 */
describe('training against a page in Chromium', () => {
  let browser: BrowserHarness;
  let results: string;

  beforeAll(async () => {
    browser = await BrowserHarness.launch();
    results = mkdtempSync(join(tmpdir(), 'three-rl-web-train-'));
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    if (results) rmSync(results, { recursive: true, force: true });
  });

  it('a 3DBall page in train mode feeds the trainer until max_steps, and the plots page shows the run', async () => {
    const options = loadRunOptions('configs/ppo/3DBall.yaml', { runId: 'web', resultsDir: results, backend: 'wasm', seed: 1, numAreas: 8 });
    options.env_settings.base_port = 0;
    const behavior = options.behaviors['3DBall']!;
    Object.assign(behavior, { max_steps: 1200, summary_freq: 400 });
    Object.assign(behavior.hyperparameters, { buffer_size: 400, batch_size: 100 });

    let announce!: (urls: TrainingPageUrls) => void;
    const urlsReady = new Promise<TrainingPageUrls>((r) => (announce = r));
    const run = runTraining(options, { onPages: (urls) => announce(urls) });
    const urls = await urlsReady;
    expect(Object.keys(urls.games)).toContain('3dball');

    const game = await browser.open(urls.games['3dball']!);
    const result = await withScreenshot('train-mode-3dball', game, async () => {
      const finished = await run;
      expect(game.errors).toEqual([]);
      expect(game.foreignRequests).toEqual([]);
      return finished;
    });
    // Every step the trainer counted came from the page: there was no other game.
    expect(result.steps['3DBall']).toBeGreaterThanOrEqual(1200);
    await game.page.close();
  }, 600_000);

  it('the plots page of a running trainer shows its summaries', async () => {
    const options = loadRunOptions('configs/ppo/Basic.yaml', { env: 'basic', runId: 'plots', resultsDir: results, backend: 'wasm', seed: 2 });
    options.env_settings.base_port = 0;
    Object.assign(options.behaviors.Basic!, { max_steps: 200_000, summary_freq: 500 });
    const stop = new AbortController();
    let announce!: (urls: TrainingPageUrls) => void;
    const urlsReady = new Promise<TrainingPageUrls>((r) => (announce = r));
    const run = runTraining(options, { onPages: (urls) => announce(urls), signal: stop.signal });
    try {
      const urls = await urlsReady;
      const plots = await browser.open(urls.plots);
      await withScreenshot('plots-page', plots, async () => {
        // The latest-summary table fills in as summaries arrive: a step count above 0 and a reward.
        await plots.page.waitForFunction(
          () => Number(document.querySelector('tr[data-behavior="Basic"] td[data-stat="step"]')?.textContent ?? '0') >= 1000,
          undefined,
          { timeout: 120_000 },
        );
        const reward = await plots.page.textContent('tr[data-behavior="Basic"] td[data-stat="Environment/Cumulative Reward"]');
        expect(Number.isFinite(Number(reward))).toBe(true);
        expect(plots.errors).toEqual([]);
        expect(plots.foreignRequests).toEqual([]);
      });
      await plots.page.close();
    } finally {
      stop.abort();
      await run;
    }
  }, 600_000);
});
