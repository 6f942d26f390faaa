/**
 * The live plots page of a running trainer: one uPlot chart per stat (cumulative reward, episode
 * length, entropy, losses, ELO with self-play, steps/s) and a table of the latest numbers, fed by
 * the trainer's server-sent events.
 */
import './page.css';
import { ApiPaths, type LiveHistory, type LiveSummary } from '../api/PageApi.js';
import { ChartPanel } from '../plots/ChartPanel.js';
import { PlotCatalog, STEPS_PER_SECOND } from '../plots/PlotCatalog.js';
import { element } from './element.js';

const catalog = new PlotCatalog();
const panels = new Map<string, ChartPanel>();
const chartsBox = document.getElementById('charts')!;
const latestTable = document.getElementById('latest') as HTMLTableElement;
const feedState = document.getElementById('feed-state')!;

const COLUMNS: [string, string][] = [
  ['Environment/Cumulative Reward', 'mean reward'],
  ['Environment/Episode Length', 'episode length'],
  ['Policy/Entropy', 'entropy'],
  ['Losses/Policy Loss', 'policy loss'],
  ['Losses/Value Loss', 'value loss'],
  ['Self-play/ELO', 'ELO'],
  [STEPS_PER_SECOND, 'steps/s'],
];

function format(v: number | null | undefined): string {
  if (v === null || v === undefined || !Number.isFinite(v)) return '–';
  const a = Math.abs(v);
  return a !== 0 && (a < 1e-3 || a >= 1e6) ? v.toExponential(3) : Number(v.toPrecision(5)).toString();
}

function renderLatest(): void {
  const shown = COLUMNS.filter(([key]) => key === STEPS_PER_SECOND || [...catalog.latest.values()].some((s) => key in s.values));
  const head = element('tr', {}, [element('th', {}, ['behavior']), element('th', {}, ['step']), ...shown.map(([, title]) => element('th', {}, [title]))]);
  const rows = [...catalog.latest.values()].map((s) =>
    element('tr', { dataset: { behavior: s.behavior } }, [
      element('td', {}, [s.behavior]),
      element('td', { dataset: { stat: 'step' } }, [String(s.step)]),
      ...shown.map(([key]) => element('td', { dataset: { stat: key } }, [format(key === STEPS_PER_SECOND ? s.stepsPerSecond : s.values[key])])),
    ]),
  );
  latestTable.replaceChildren(element('thead', {}, [head]), element('tbody', {}, rows));
}

function redraw(keys: Iterable<string>): void {
  for (const key of keys) {
    const plot = catalog.plots.find((p) => p.key === key)!;
    let panel = panels.get(key);
    if (!panel) panels.set(key, (panel = new ChartPanel(chartsBox, key, plot.title)));
    panel.update(catalog.data(key));
  }
  renderLatest();
}

function onHistory(history: LiveHistory): void {
  catalog.clear();
  document.getElementById('title')!.textContent = `Training · ${history.runId}`;
  document.title = `three-rl · ${history.runId}`;
  for (const s of history.summaries) catalog.add(s);
  redraw(catalog.plots.map((p) => p.key));
}

function onSummary(summary: LiveSummary): void {
  redraw(catalog.add(summary).map((p) => p.key));
}

function setFeedState(text: string, kind: 'ok' | 'bad' | ''): void {
  feedState.textContent = text;
  feedState.className = `badge ${kind}`;
}

const events = new EventSource(ApiPaths.liveEvents);
events.addEventListener('history', (e) => {
  setFeedState('live', 'ok');
  onHistory(JSON.parse((e as MessageEvent<string>).data) as LiveHistory);
});
events.addEventListener('summary', (e) => onSummary(JSON.parse((e as MessageEvent<string>).data) as LiveSummary));
// EventSource retries on its own; the badge says that the trainer is not answering meanwhile.
events.addEventListener('error', () => setFeedState('trainer not reachable (finished or stopped?) – retrying', 'bad'));
addEventListener('resize', () => {
  for (const p of panels.values()) p.resize();
});
renderLatest();
