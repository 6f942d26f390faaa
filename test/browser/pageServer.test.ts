import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LiveStats } from '../../trainer/live/LiveStats.js';
import { liveFeedRoute } from '../../trainer/live/LiveFeedRoute.js';
import { gamesForBehaviors } from '../../trainer/live/TrainingPages.js';
import { startPlayServer } from '../../trainer/cli/playCommand.js';
import { StatsSummary } from '../../trainer/stats/StatsSummary.js';
import type { LiveSummary, ModelList } from '../../web/api/PageApi.js';
import { gamePagePath, parseGamePageParams } from '../../web/play/PageParams.js';
import { PlotCatalog } from '../../web/plots/PlotCatalog.js';
import { PageServer } from '../../web/server/PageServer.js';
import { SNOWBALL_COURSE_MODEL } from './PageFixtures.js';

/** A raw GET that does not normalise the path (fetch would resolve `..` itself). */
function rawGet(url: string, path: string): Promise<{ status: number; body: string }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const req = request({ hostname, port, path, method: 'GET' }, (res) => {
      let body = '';
      res.on('data', (d: Buffer) => (body += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function summary(value: number): StatsSummary {
  return new StatsSummary([value], 'average');
}

describe('the page server', () => {
  let dir: string;
  let server: PageServer;
  const live = new LiveStats('unit', (() => {
    let t = 1_000_000;
    return () => (t += 2000);
  })());

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'three-rl-page-server-'));
    const pages = join(dir, 'pages');
    mkdirSync(pages);
    writeFileSync(join(pages, 'index.html'), '<!doctype html><title>start</title>');
    writeFileSync(join(dir, 'secret.txt'), 'not for the web');
    const results = join(dir, 'results');
    for (const [file, age] of [
      ['run1/3DBall.onnx', 100],
      ['run1/3DBall/3DBall-5000.onnx', 200],
      ['run2/3DBall.onnx', 10],
      ['run2/Basic.onnx', 50],
      ['loose/extra/model.onnx', 5],
    ] as const) {
      const path = join(results, file);
      mkdirSync(join(path, '..'), { recursive: true });
      writeFileSync(path, 'onnx bytes');
      const t = Date.now() / 1000 - age;
      utimesSync(path, t, t);
    }
    server = new PageServer({ pages, resultsDir: results, routes: [liveFeedRoute(live)], info: { trainer: 'ws://127.0.0.1:1', livePlots: true } });
    await server.start();
  });

  afterAll(async () => {
    await server?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists the models under results/ newest first, attributed to behaviors as mlagents-learn names them', async () => {
    const list = (await (await fetch(`${server.url}/api/models`)).json()) as ModelList;
    expect(list.models.map((m) => [m.label, m.behaviors, m.step])).toEqual([
      ['loose/extra/model.onnx', [], null],
      ['run2/3DBall.onnx', ['3DBall'], null],
      ['run2/Basic.onnx', ['Basic'], null],
      ['run1/3DBall.onnx', ['3DBall'], null],
      ['run1/3DBall/3DBall-5000.onnx', ['3DBall'], 5000],
    ]);
    const res = await fetch(server.url + list.models[1]!.url);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('onnx bytes');
  });

  it('serves the built pages and nothing outside them or outside results/', async () => {
    expect((await rawGet(server.url, '/')).body).toContain('<title>start</title>');
    for (const path of ['/../secret.txt', '/%2e%2e/secret.txt', '/models/../secret.txt', '/models/..%2F..%2Fsecret.txt', '/models/%2e%2e/%2e%2e/secret.txt']) {
      const res = await rawGet(server.url, path);
      expect(res.status, path).toBe(404);
      expect(res.body).not.toContain('not for the web');
    }
    expect((await rawGet(server.url, '/cli-model/x.onnx')).status).toBe(404);
  });

  it('tells pages about the trainer, and streams the live summaries with their steps/s', async () => {
    expect(await (await fetch(`${server.url}/api/server`)).json()).toEqual({ trainer: 'ws://127.0.0.1:1', livePlots: true });
    live.writeStats('3DBall', new Map([['Environment/Cumulative Reward', summary(1.5)]]), 1000);
    const controller = new AbortController();
    const res = await fetch(`${server.url}/live/events`, { signal: controller.signal });
    const reader = res.body!.getReader();
    let text = '';
    const readUntil = async (needle: string) => {
      while (!text.includes(needle)) text += new TextDecoder().decode((await reader.read()).value);
    };
    await readUntil('event: history');
    live.writeStats('3DBall', new Map([['Environment/Cumulative Reward', summary(Number.NaN)], ['Self-play/ELO', summary(1210)]]), 5000);
    await readUntil('event: summary');
    await readUntil('\n\n');
    controller.abort();
    const summaryLine = text.split('event: summary\ndata: ')[1]!.split('\n')[0]!;
    const s = JSON.parse(summaryLine) as LiveSummary;
    // 4000 steps in the 2 s between the two summaries; NaN becomes null.
    expect(s).toMatchObject({ behavior: '3DBall', step: 5000, stepsPerSecond: 2000, values: { 'Environment/Cumulative Reward': null, 'Self-play/ELO': 1210 } });
    const history = await (await fetch(`${server.url}/live/history`)).json();
    expect(history.summaries).toHaveLength(2);
    expect(history.summaries[0].stepsPerSecond).toBeNull();
  });
});

describe('what the pages compute without a browser', () => {
  it('game page URLs round-trip through their query string, and bad parameters are named', () => {
    const path = gamePagePath({ game: '3dball', mode: 'train', areas: 4, speed: 'max', trainer: 'ws://127.0.0.1:6000', models: { '3DBall': '/models/a.onnx' } });
    expect(parseGamePageParams(path.split('?')[1]!)).toEqual({
      game: '3dball',
      mode: 'train',
      models: { '3DBall': '/models/a.onnx' },
      areas: 4,
      speed: 'max',
      trainer: 'ws://127.0.0.1:6000',
      seed: null,
      deterministic: false,
    });
    expect(() => parseGamePageParams('game=x&mode=fly')).toThrow(/mode=fly is not a mode/);
    expect(() => parseGamePageParams('game=x&areas=0')).toThrow(/areas=0/);
    expect(() => parseGamePageParams('game=x&trainer=http://a')).toThrow(/trainer=http:\/\/a is not a WebSocket address/);
    expect(() => parseGamePageParams('mode=play')).toThrow(/no \?game=/);
  });

  it('plots align the behaviors on one step axis and add ELO once a summary has it', () => {
    const catalog = new PlotCatalog();
    const at = (behavior: string, step: number, values: Record<string, number | null>): LiveSummary => ({ behavior, step, time: step, values, stepsPerSecond: null });
    catalog.add(at('Blue', 100, { 'Environment/Cumulative Reward': 1 }));
    catalog.add(at('Purple', 150, { 'Environment/Cumulative Reward': 2 }));
    expect(catalog.plots.some((p) => p.key === 'Self-play/ELO')).toBe(false);
    const touched = catalog.add(at('Blue', 200, { 'Environment/Cumulative Reward': 3, 'Self-play/ELO': 1205 }));
    expect(touched.map((p) => p.key)).toEqual(['Environment/Cumulative Reward', 'Self-play/ELO']);
    expect(catalog.data('Environment/Cumulative Reward')).toEqual({
      behaviors: ['Blue', 'Purple'],
      steps: [100, 150, 200],
      values: [
        [1, null, 3],
        [null, 2, null],
      ],
    });
  });

  it('a run offers the game pages of the games that have its behaviors', () => {
    expect(gamesForBehaviors(['3DBall']).map((g) => g.name)).toEqual(['3dball']);
    expect(gamesForBehaviors(['NoSuchBehavior'])).toEqual([]);
  });

  it('three-rl play --model finds the games the model fits and offers it first on their pages', async () => {
    const lines: string[] = [];
    const server = await startPlayServer({ port: '0', model: SNOWBALL_COURSE_MODEL, resultsDir: mkdtempSync(join(tmpdir(), 'three-rl-empty-')) }, (l) => lines.push(l));
    try {
      expect(lines.join('\n')).toContain(`${server.url}/game.html?game=snowballtarget`);
      const list = (await (await fetch(`${server.url}/api/models`)).json()) as ModelList;
      expect(list.models).toHaveLength(1);
      expect(list.models[0]).toMatchObject({ source: 'cli', behaviors: ['SnowballTarget'] });
      expect((await fetch(server.url + list.models[0]!.url)).status).toBe(200);
      expect(await (await fetch(`${server.url}/game.html`)).text()).toContain('<canvas id="canvas"');
    } finally {
      await server.close();
    }
    await expect(startPlayServer({ port: '0', model: '/nonexistent.onnx' }, () => {})).rejects.toThrow(/--model \/nonexistent.onnx: no such file/);
    await expect(startPlayServer({ port: 'abc' }, () => {})).rejects.toThrow(/--port abc/);
  }, 120_000);
});
