import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadRunOptions } from '../../trainer/config/loadRunOptions.js';
import type { TrainingPageUrls } from '../../trainer/live/TrainingPages.js';
import { runTraining } from '../../trainer/run/TrainingRun.js';
import { BrowserHarness, withScreenshot } from './BrowserHarness.js';

// The page's window.threeRlPage, as the tests use it (evaluate() callbacks run in the page).
type PageWindow = { threeRlPage: any };

/**
 * Training in open windows: the trainer runs without --env, Chromium tabs open the game page it
 * prints (train mode), and those tabs are the only source of experience. The plots page of the same
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

  it('two 3DBall pages in train mode feed one trainer; closing one leaves the run to finish on the other', async () => {
    const options = loadRunOptions('configs/ppo/3DBall.yaml', { runId: 'web', resultsDir: results, backend: 'wasm', seed: 1, numAreas: 4 });
    options.env_settings.base_port = 0;
    const behavior = options.behaviors['3DBall']!;
    Object.assign(behavior, { max_steps: 2400, summary_freq: 400 });
    Object.assign(behavior.hyperparameters, { buffer_size: 400, batch_size: 100 });

    let announce!: (urls: TrainingPageUrls) => void;
    const urlsReady = new Promise<TrainingPageUrls>((r) => (announce = r));
    const run = runTraining(options, { onPages: (urls) => announce(urls) });
    const urls = await urlsReady;
    expect(Object.keys(urls.games)).toContain('3dball');
    expect(urls.games['3dball']).toContain('mode=train');

    const first = await browser.open(urls.games['3dball']!);
    const second = await browser.open(urls.games['3dball']!);
    const stepsOf = (p: typeof first) => p.page.evaluate(() => (window as unknown as PageWindow).threeRlPage.session?.steps ?? 0);
    const result = await withScreenshot('train-mode-3dball', second, async () => {
      // Both pages connected and stepping in lockstep with the trainer's actions.
      for (const p of [first, second]) {
        await p.page.waitForFunction(() => ((window as unknown as PageWindow).threeRlPage.session?.steps ?? 0) >= 20, undefined, { timeout: 60_000 });
        expect(await p.page.textContent('#status')).toContain('training');
      }
      expect(first.errors).toEqual([]);
      const secondStepsAtClose = await stepsOf(second);
      // Closing a page drops its agents from the run; the run goes on with the other page.
      await first.page.close({ runBeforeUnload: true });
      const finished = await run;
      // The trainer said goodbye: the page shows why it stopped.
      await second.page.waitForFunction(() => document.querySelector('#status')?.textContent?.includes('training finished'), undefined, { timeout: 10_000 });
      expect(await second.page.evaluate(() => (window as unknown as PageWindow).threeRlPage.session.state)).toBe('closed');
      // 2400 decisions at one per 5 steps for 4 agents: the remaining page ran ~3000 steps after the close.
      expect(await stepsOf(second)).toBeGreaterThan(secondStepsAtClose + 500);
      expect(second.errors).toEqual([]);
      expect([...first.foreignRequests, ...second.foreignRequests]).toEqual([]);
      return finished;
    });
    // Every step the trainer counted came from the pages: there was no other game.
    expect(result.steps['3DBall']).toBeGreaterThanOrEqual(2400);
    await second.page.close();
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
