/**
 * The game page (game.html?game=<name>&mode=...): one template for every game of the registry.
 * Builds the game and its view, loads models with onnxruntime-web, and runs a GameSession; every
 * setting lives in the URL. `window.threeRlPage` exposes the running session for the console.
 */
import './page.css';
import type { GameModule } from '../../bridge/game/GameModule.js';
import { OnnxPolicy } from '../../bridge/inference/OnnxPolicy.js';
import type { InProcessPolicy } from '../../bridge/sync/Sync.js';
import { findBuiltInGame, builtInGames } from '../../sample-games/registry.js';
import { loadBuiltInView, type GameViewModule } from '../../sample-games/views.js';
import type { ModelList } from '../api/PageApi.js';
import { renderControlPanel } from '../play/ControlPanel.js';
import { GameSession } from '../play/GameSession.js';
import { fetchModelList, fetchServerInfo, modelsForBehavior } from '../play/ModelCatalog.js';
import { gamePageQuery, parseGamePageParams, type GamePageParams } from '../play/PageParams.js';
import { listenForModelDrops } from '../play/ModelDrop.js';
import { loadPagePolicy, policySourceKey, type PolicySource } from '../play/PolicyLoader.js';
import { renderStatus } from '../play/StatusView.js';

const HELP: Record<GamePageParams['mode'], string> = {
  watch: 'The agents act from the model. Drop an .onnx file anywhere on the page to load it; agents without a model follow the keyboard.',
  play: 'You control the agents: click the game, then use the arrow keys (some games add WASD, space, R).',
  versus: 'You control one player with the keyboard; the model plays every other agent.',
  train:
    'This page trains: the trainer decides every action and learns from what happens here. Open more pages to add areas; close any of them at any time.',
};

const $ = (id: string) => document.getElementById(id)!;
const controls = $('controls');
const statusBox = $('status');
const message = $('message');

let params: GamePageParams;
let module: GameModule;
let view: GameViewModule;
let catalog: ModelList & { error?: string } = { models: [], resultsDir: '' };
let session: GameSession | null = null;
let startError: string | null = null;
let deciders = '';
let restarts = 0;
const files = new Map<string, { label: string; bytes: Uint8Array }>();
const modelErrors = new Map<string, string>();
const policies = new Map<string, Promise<OnnxPolicy>>();

function showMessage(text: string | null): void {
  message.hidden = text === null;
  message.textContent = text ?? '';
}

function writeUrl(): void {
  // A dropped file cannot be named in a URL.
  const models = Object.fromEntries(Object.entries(params.models).filter(([, v]) => v !== 'file'));
  history.replaceState(null, '', gamePageQuery({ ...params, models }));
}

function chosenSource(behavior: string): PolicySource | null {
  const choice = params.models[behavior] ?? '';
  if (choice === 'none') return null;
  const file = files.get(behavior);
  if (choice === 'file') return file ? { kind: 'file', ...file } : null;
  if (choice !== '') return { kind: 'url', url: choice, label: decodeURIComponent(choice.split('/').pop() ?? choice) };
  const newest = modelsForBehavior(catalog, behavior)[0];
  return newest ? { kind: 'url', url: newest.url, label: newest.label } : null;
}

function policyFor(source: PolicySource, behavior: string): Promise<OnnxPolicy> {
  const key = `${behavior}|${policySourceKey(source)}`;
  let p = policies.get(key);
  if (!p) {
    const spec = module.behaviors.find((b) => b.name === behavior)!;
    p = loadPagePolicy(source, spec, params.deterministic);
    policies.set(key, p);
    p.catch(() => policies.delete(key));
  }
  return p;
}

function renderControls(): void {
  renderControlPanel(
    controls,
    {
      module,
      params,
      catalog,
      files: new Map([...files].map(([b, f]) => [b, f.label])),
      modelErrors,
      speed: session?.speed ?? params.speed ?? 1,
    },
    {
      mode: (mode) => void restart({ mode }),
      model: (behavior, choice) => void restart({ models: { ...params.models, [behavior]: choice } }),
      file: (behavior, file) => void useFile(behavior, file),
      areas: (areas) => void restart({ areas }),
      speed: (speed) => {
        params = { ...params, speed };
        session?.setSpeed(speed);
        writeUrl();
      },
      deterministic: (deterministic) => void restart({ deterministic }),
      trainer: (trainer) => void restart({ trainer }),
      restart: () => void restart({}),
    },
  );
}

async function useFile(behavior: string, file: File): Promise<void> {
  files.set(behavior, { label: file.name, bytes: new Uint8Array(await file.arrayBuffer()) });
  await restart({ mode: params.mode === 'versus' ? 'versus' : 'watch', models: { ...params.models, [behavior]: 'file' } });
}

/** A dropped file goes to the first behavior it fits (the error of the first misfit otherwise). */
async function onDrop(file: File): Promise<void> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let firstError = '';
  for (const spec of module.behaviors) {
    try {
      const probe = await OnnxPolicy.load(bytes, { runtime: 'web', wasmThreads: 1, behavior: spec });
      await probe.dispose();
      files.set(spec.name, { label: file.name, bytes });
      await restart({ mode: params.mode === 'versus' ? 'versus' : 'watch', models: { ...params.models, [spec.name]: 'file' } });
      return;
    } catch (e) {
      firstError ||= (e as Error).message;
    }
  }
  showMessage(`${file.name} fits no behavior of ${module.name}:\n${firstError}`);
}

async function restart(change: Partial<GamePageParams>): Promise<void> {
  const seq = ++restarts;
  params = { ...params, ...change };
  session?.stop('settings changed');
  session = null;
  startError = null;
  showMessage(null);
  writeUrl();
  modelErrors.clear();

  const chosen = new Map<string, InProcessPolicy>();
  const names: string[] = [];
  if (params.mode === 'watch' || params.mode === 'versus') {
    for (const spec of module.behaviors) {
      const source = chosenSource(spec.name);
      if (!source) {
        names.push(`${spec.name}: keyboard`);
        continue;
      }
      try {
        const policy = await policyFor(source, spec.name);
        policy.deterministic = params.deterministic;
        chosen.set(spec.name, policy);
        names.push(`${spec.name}: ${source.label}`);
      } catch (e) {
        modelErrors.set(spec.name, (e as Error).message);
        names.push(`${spec.name}: keyboard (model failed)`);
      }
    }
  }
  if (seq !== restarts) return;
  deciders = params.mode === 'train' ? 'the trainer' : params.mode === 'play' ? 'keyboard' : names.join(', ');
  renderControls();

  // A fresh canvas per session: a view leaves listeners and a WebGL context behind on its own.
  const old = document.getElementById('canvas') as HTMLCanvasElement;
  const canvas = old.cloneNode(false) as HTMLCanvasElement;
  old.replaceWith(canvas);
  try {
    const started = await GameSession.start({
      module,
      view,
      canvas,
      mode: params.mode,
      areas: params.areas,
      seed: params.seed ?? Math.floor(Math.random() * 2 ** 31),
      policies: chosen,
      trainerUrl: params.trainer,
      speed: params.speed,
    });
    if (seq !== restarts) {
      started.stop('settings changed');
      return;
    }
    session = started;
    renderControls();
    canvas.focus();
  } catch (e) {
    if (seq !== restarts) return;
    startError = (e as Error).message;
    showMessage(`Could not start ${module.name}: ${startError}`);
  }
}

async function main(): Promise<void> {
  try {
    params = parseGamePageParams(location.search);
  } catch (e) {
    $('title').textContent = 'three-rl';
    showMessage(`${(e as Error).message}\nGames: ${builtInGames.map((g) => g.name).join(', ')}`);
    return;
  }
  // Pages served by a trainer connect to it unless the URL names another one.
  if (!new URLSearchParams(location.search).has('trainer')) {
    const info = await fetchServerInfo();
    if (info.trainer) params = { ...params, trainer: info.trainer };
  }
  const found = findBuiltInGame(params.game);
  if (!found) {
    showMessage(`No game named '${params.game}'. Games: ${builtInGames.map((g) => g.name).join(', ')}`);
    return;
  }
  module = found;
  document.title = `three-rl · ${module.name}`;
  $('title').textContent = module.name;
  $('description').textContent = module.description;
  const loaded = await loadBuiltInView(module.name);
  if (!loaded) {
    showMessage(`${module.name} has no view yet, so it cannot be shown in the browser; train it headless with three-rl train --env ${module.name}.`);
    return;
  }
  view = loaded;
  listenForModelDrops(document, $('drop-hint'), (file) => void onDrop(file));
  setInterval(() => {
    renderStatus(statusBox, session, deciders, startError);
    $('help').textContent = HELP[params.mode];
  }, 250);
  catalog = await fetchModelList();
  await restart({});
  addEventListener('pagehide', () => session?.stop('page closed'));
}

/** The page's state for the console and the browser tests. */
const pageApi = {
  get session() {
    return session;
  },
  get params() {
    return params;
  },
  get catalog() {
    return catalog;
  },
  OnnxPolicy,
  ready: main().catch((e: unknown) => showMessage(`The page failed: ${(e as Error).stack ?? e}`)),
};
(window as unknown as { threeRlPage: typeof pageApi }).threeRlPage = pageApi;
