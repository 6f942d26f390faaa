import { readFileSync, rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OnnxPolicy } from '../../bridge/inference/OnnxPolicy.js';
import { SeededRandom } from '../../bridge/random/SeededRandom.js';
import { ball3DBehavior } from '../../sample-games/3dball/sim.js';
import { builtInGames } from '../../sample-games/registry.js';
import { hasBuiltInView } from '../../sample-games/views.js';
import { buildPages } from '../../web/server/PageBuild.js';
import { PageServer } from '../../web/server/PageServer.js';
import { BrowserHarness, withScreenshot, type WatchedPage } from './BrowserHarness.js';
import { makeResultsFolder, SNOWBALL_COURSE_MODEL } from './PageFixtures.js';

// The page's window.threeRlPage, as the tests use it (evaluate() callbacks run in the page).
type PageWindow = { threeRlPage: any };
const viewedGames = builtInGames.filter((g) => hasBuiltInView(g.name)).map((g) => g.name);

/** Distinct colours (4 bits per channel) on a 64 x 64 copy of the game canvas, drawn just now. */
function sceneColours(p: WatchedPage): Promise<number> {
  return p.page.evaluate(() => {
    const session = (window as unknown as PageWindow).threeRlPage.session;
    session.view.render();
    // Copied in the same task as the draw: a WebGL canvas is cleared once composited.
    const copy = document.createElement('canvas');
    copy.width = copy.height = 64;
    const g = copy.getContext('2d')!;
    g.drawImage(document.getElementById('canvas') as HTMLCanvasElement, 0, 0, 64, 64);
    const px = g.getImageData(0, 0, 64, 64).data;
    const colours = new Set<number>();
    for (let i = 0; i < px.length; i += 4) colours.add(((px[i]! >> 4) << 8) | ((px[i + 1]! >> 4) << 4) | (px[i + 2]! >> 4));
    return colours.size;
  });
}

async function waitForSteps(p: WatchedPage, steps: number, timeout = 60_000): Promise<void> {
  await p.page.waitForFunction((n) => ((window as unknown as PageWindow).threeRlPage.session?.steps ?? 0) >= n, steps, { timeout, polling: 100 });
}

/** Per 3DBall area, the platform's rotation (degrees) over `ms`, for agents whose episode went on meanwhile. */
function platformTurns(p: WatchedPage, ms: number): Promise<number[]> {
  return p.page.evaluate(async (wait) => {
    const game = (window as unknown as PageWindow).threeRlPage.session.game;
    const snapshot = () =>
      game.areas.map((a: any, i: number) => ({ q: { ...a.platform.quaternion }, episodes: game.agents[i].completedEpisodes }));
    const before = snapshot();
    await new Promise((r) => setTimeout(r, wait));
    const after = snapshot();
    const turns: number[] = [];
    before.forEach((b: any, i: number) => {
      const a = after[i];
      if (a.episodes !== b.episodes) return;
      const dot = Math.abs(b.q.x * a.q.x + b.q.y * a.q.y + b.q.z * a.q.z + b.q.w * a.q.w);
      turns.push((2 * Math.acos(Math.min(1, dot)) * 180) / Math.PI);
    });
    return turns;
  }, ms);
}

/** Per 3DBall area, how far the platform is tilted from level (degrees). */
function platformTilts(p: WatchedPage): Promise<number[]> {
  return p.page.evaluate(() => {
    const game = (window as unknown as PageWindow).threeRlPage.session.game;
    return game.areas.map((a: any) => (2 * Math.acos(Math.min(1, Math.abs(a.platform.quaternion.w))) * 180) / Math.PI);
  });
}

describe('the pages in Chromium', () => {
  let browser: BrowserHarness;
  let server: PageServer;
  let results: ReturnType<typeof makeResultsFolder>;

  beforeAll(async () => {
    results = makeResultsFolder();
    server = new PageServer({ pages: await buildPages(), resultsDir: results.dir });
    await server.start();
    browser = await BrowserHarness.launch();
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    if (results) rmSync(results.dir, { recursive: true, force: true });
  });

  it('the start page lists every game of the registry, with links to its page', async () => {
    const p = await browser.open(`${server.url}/`);
    await withScreenshot('start-page', p, async () => {
      await p.page.waitForSelector('.game-card');
      const cards = await p.page.$$eval('.game-card', (els) => els.map((e) => (e as HTMLElement).dataset.game));
      expect(cards).toEqual(builtInGames.map((g) => g.name));
      for (const name of viewedGames) {
        const links = await p.page.$$eval(`.game-card[data-game="${name}"] a`, (els) => els.map((e) => (e as HTMLAnchorElement).getAttribute('href')));
        expect(links).toContain(`/game.html?game=${name}`);
        expect(links).toContain(`/game.html?game=${name}&mode=play`);
      }
      expect(p.errors).toEqual([]);
      expect(p.foreignRequests).toEqual([]);
    });
    await p.page.close();
  });

  it.each(viewedGames)('the %s page draws the game and steps it in play mode, with no console errors', async (name) => {
    const p = await browser.open(`${server.url}/game.html?game=${name}&mode=play&seed=7`);
    await withScreenshot(`game-${name}-play`, p, async () => {
      await waitForSteps(p, 60);
      const state = await p.page.evaluate(() => (window as unknown as PageWindow).threeRlPage.session.state);
      expect(state).toBe('running');
      // A blank canvas has one colour; any of the games draws dozens.
      expect(await sceneColours(p)).toBeGreaterThan(12);
      expect(await p.page.textContent('#title')).toBe(name);
      expect(p.errors).toEqual([]);
      expect(p.foreignRequests).toEqual([]);
    });
    await p.page.close();
  });

  it("watch mode loads the behavior's newest model from results/, and its actions tilt the 3DBall platforms", async () => {
    const watch = await browser.open(`${server.url}/game.html?game=3dball&areas=4&seed=3`);
    await withScreenshot('3dball-watch', watch, async () => {
      await waitForSteps(watch, 30);
      const chosen = await watch.page.$eval('select[name="model.3DBall"]', (s) => (s as HTMLSelectElement).selectedOptions[0]!.textContent);
      expect(chosen).toContain('newest: ball/3DBall.onnx');
      expect(await watch.page.textContent('#status')).toContain('3DBall: ball/3DBall.onnx');
      await new Promise((r) => setTimeout(r, 600));
      // The model's actions are near +-1 (its heads are scaled): platforms tilt to their limit
      // (~29 degrees), far past any episode's random start (at most 10 degrees on each axis).
      expect(Math.max(...(await platformTilts(watch)))).toBeGreaterThan(20);
      expect(watch.errors).toEqual([]);
      expect(watch.foreignRequests).toEqual([]);
    });
    await watch.page.close();

    // The same scene without a model (nobody presses keys): the platforms hold still.
    const idle = await browser.open(`${server.url}/game.html?game=3dball&mode=play&areas=4&seed=3`);
    await withScreenshot('3dball-idle', idle, async () => {
      await waitForSteps(idle, 30);
      const turns = await platformTurns(idle, 150);
      expect(turns.length).toBeGreaterThan(0);
      // Only float rounding of the quaternion moves it (measured ~2e-6 degrees).
      expect(Math.max(...turns)).toBeLessThan(0.01);
    });
    await idle.page.close();
  });

  it('onnxruntime-web in the page gives the actions onnxruntime-node gives for the same model', async () => {
    const rng = new SeededRandom(5);
    const n = 6;
    const obs = Array.from({ length: n * 8 }, () => rng.range(-2, 2));
    const node = await OnnxPolicy.load(readFileSync(results.newest), { runtime: 'node', deterministic: true, behavior: ball3DBehavior });
    const expected = await node.decide(ball3DBehavior, [Float32Array.from(obs)], null, n);
    await node.dispose();
    const p = await browser.open(`${server.url}/game.html?game=3dball&mode=play`);
    await withScreenshot('ort-web-parity', p, async () => {
      await waitForSteps(p, 1);
      const got = await p.page.evaluate(
        async ({ obs, n, spec }) => {
          const api = (window as unknown as PageWindow).threeRlPage;
          const policy = await api.OnnxPolicy.load('/models/ball/3DBall.onnx', { runtime: 'web', wasmThreads: 1, deterministic: true, behavior: spec });
          const out = await policy.decide(spec, [Float32Array.from(obs)], null, n);
          await policy.dispose();
          return { runtime: policy.runtime, continuous: Array.from(out.continuous as Float32Array) };
        },
        { obs, n, spec: ball3DBehavior },
      );
      expect(got.runtime).toBe('web');
      expect(got.continuous).toHaveLength(n * 2);
      got.continuous.forEach((v, i) => expect(v).toBeCloseTo(expected.continuous[i]!, 5));
      expect(p.errors).toEqual([]);
    });
    await p.page.close();
  });

  it("a model file picked on the page plays SnowballTarget: the ML-Agents course policy hits targets", async () => {
    const areas = 2;
    const steps = 2500;
    const p = await browser.open(`${server.url}/game.html?game=snowballtarget&areas=${areas}&seed=5&speed=max&deterministic=1`);
    await withScreenshot('snowball-course-model', p, async () => {
      await waitForSteps(p, 1);
      await p.page.setInputFiles('input[name="file.SnowballTarget"]', SNOWBALL_COURSE_MODEL);
      await p.page.waitForFunction(() => (window as unknown as PageWindow).threeRlPage.params.models.SnowballTarget === 'file');
      await p.page.waitForFunction(() => document.querySelector('#status')?.textContent?.includes('xenjin450_SnowballTarget.onnx'), null, { timeout: 30_000 });
      await waitForSteps(p, steps, 90_000);
      const hits = await p.page.evaluate(() => (window as unknown as PageWindow).threeRlPage.session.game.areas.map((a: any) => a.hits as number));
      // 500 decisions: the course model scores ~25 per 1000 (about 12 here per area), random play
      // ~3 per 1000 (about 1.5): 2 areas reaching 10 hits takes a policy that aims.
      const total = hits.reduce((a: number, b: number) => a + b, 0);
      console.log(`SnowballTarget in the page, course model: ${total} hits in ${steps} steps x ${areas} areas (${hits.join(', ')})`);
      expect(total).toBeGreaterThanOrEqual(10);
      expect(p.errors).toEqual([]);
      expect(p.foreignRequests).toEqual([]);
    });
    await p.page.close();
  });

  it('a 336 -> 512 -> 512 policy decides for 8 agents in the page within a frame (time printed)', async () => {
    const p = await browser.open(`${server.url}/game.html?game=3dball&mode=play`);
    await withScreenshot('policy-timing', p, async () => {
      await waitForSteps(p, 1);
      const r = await p.page.evaluate(async () => {
        const api = (window as unknown as PageWindow).threeRlPage;
        // The game would draw between decisions and its frames would count as decision time.
        api.session.stop('timing a policy');
        const spec = {
          name: 'SoccerTwos',
          observations: [
            { name: 'rays', shape: [264], kind: 'rays' },
            { name: 'back_rays', shape: [72], kind: 'rays' },
          ],
          actions: { continuous: 0, discrete: [3, 3, 3] },
          teamCount: 2,
          maxStep: 0,
        };
        const policy = await api.OnnxPolicy.load('/models/bench/SoccerTwos.onnx', { runtime: 'web', wasmThreads: 1, behavior: spec });
        const n = 8;
        const obs = [Float32Array.from({ length: n * 264 }, (_, i) => Math.sin(i)), Float32Array.from({ length: n * 72 }, (_, i) => Math.cos(i))];
        for (let i = 0; i < 50; i++) await policy.decide(spec, obs, null, n);
        const times: number[] = [];
        let last: Int32Array | null = null;
        for (let i = 0; i < 200; i++) {
          const t = performance.now();
          last = (await policy.decide(spec, obs, null, n)).discrete;
          times.push(performance.now() - t);
        }
        await policy.dispose();
        times.sort((a, b) => a - b);
        return { median: times[100]!, p95: times[190]!, mean: times.reduce((a, b) => a + b, 0) / times.length, actions: Array.from(last!) };
      });
      console.log(
        `336 -> 512 -> 512 policy (SoccerTwos, ML-Agents), 8 agents, onnxruntime-web WASM 1 thread in Chromium: ` +
          `median ${r.median.toFixed(3)} ms, p95 ${r.p95.toFixed(3)} ms, mean ${r.mean.toFixed(3)} ms per decision`,
      );
      expect(r.actions).toHaveLength(8 * 3);
      for (const a of r.actions) expect([0, 1, 2]).toContain(a);
      expect(p.errors).toEqual([]);
    });
    await p.page.close();
  });
});
