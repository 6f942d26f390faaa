/** The game page's settings form: mode, model per behavior, areas, speed, trainer address. */
import type { GameModule } from '../../bridge/game/GameModule.js';
import type { ModelList } from '../api/PageApi.js';
import { element } from '../pages/element.js';
import { hasOpponents } from './GameSession.js';
import { describeModel, modelsForBehavior } from './ModelCatalog.js';
import { SPEEDS, type GamePageParams, type PlayMode, type Speed } from './PageParams.js';

/** What the form shows besides the URL parameters. */
export interface ControlPanelState {
  module: GameModule;
  params: GamePageParams;
  catalog: ModelList & { error?: string };
  /** Per behavior: the label of a file the user dropped or picked. */
  files: ReadonlyMap<string, string>;
  /** Per behavior: why its model could not be used. */
  modelErrors: ReadonlyMap<string, string>;
  /** The speed the session runs at (the trainer's time scale when the URL has none). */
  speed: Speed;
}

/** What the form reports. */
export interface ControlPanelHandlers {
  mode(mode: PlayMode): void;
  /** choice: a model URL, 'none', 'file' (the dropped file) or '' (newest). */
  model(behavior: string, choice: string): void;
  file(behavior: string, file: File): void;
  areas(areas: number): void;
  speed(speed: Speed): void;
  deterministic(on: boolean): void;
  trainer(url: string): void;
  restart(): void;
}

const MODE_LABELS: Record<PlayMode, string> = {
  watch: 'Watch the agent',
  play: 'Play (keyboard)',
  versus: 'Play against the agent',
  train: 'Train (connect to a trainer)',
};

/** Replaces the contents of `container` with the form for `state`. */
export function renderControlPanel(container: HTMLElement, state: ControlPanelState, on: ControlPanelHandlers): void {
  const { module, params } = state;
  const modes = (Object.keys(MODE_LABELS) as PlayMode[]).filter((m) => m !== 'versus' || hasOpponents(module));
  const modeSet = element('fieldset', {}, [element('legend', {}, ['Mode'])]);
  for (const m of modes) {
    const input = element('input', { type: 'radio', name: 'mode', value: m, checked: params.mode === m });
    input.addEventListener('change', () => on.mode(m));
    modeSet.append(element('label', {}, [input, ` ${MODE_LABELS[m]}`]));
  }
  container.replaceChildren(modeSet);

  if (params.mode === 'watch' || params.mode === 'versus') container.append(modelSet(state, on));

  if (params.mode === 'train') {
    const address = element('input', { type: 'text', value: params.trainer, name: 'trainer', spellcheck: false });
    address.addEventListener('change', () => on.trainer(address.value.trim()));
    const again = element('button', { type: 'button', textContent: 'Reconnect' });
    again.addEventListener('click', () => on.restart());
    container.append(element('fieldset', {}, [element('legend', {}, ['Trainer']), address, element('div', { className: 'row' }, [again])]));
  }

  const areas = element('input', { type: 'number', min: '1', max: '64', value: String(params.areas), name: 'areas' });
  areas.addEventListener('change', () => {
    const n = Math.round(Number(areas.value));
    if (n >= 1 && n <= 64) on.areas(n);
  });
  const speed = element('select', { name: 'speed' });
  for (const s of SPEEDS) speed.append(element('option', { value: String(s), textContent: s === 'max' ? 'as fast as possible' : `${s}× real time`, selected: s === state.speed }));
  if (!SPEEDS.includes(state.speed)) speed.append(element('option', { value: String(state.speed), textContent: `${state.speed}× real time`, selected: true }));
  speed.addEventListener('change', () => on.speed(speed.value === 'max' ? 'max' : Number(speed.value)));
  container.append(
    element('fieldset', {}, [
      element('legend', {}, ['Scene']),
      element('label', {}, ['Areas ', areas]),
      element('label', {}, ['Speed ', speed]),
    ]),
  );
}

function modelSet(state: ControlPanelState, on: ControlPanelHandlers): HTMLElement {
  const set = element('fieldset', {}, [element('legend', {}, ['Model'])]);
  for (const behavior of state.module.behaviors) {
    const name = behavior.name;
    const offered = modelsForBehavior(state.catalog, name);
    const choice = state.params.models[name] ?? '';
    const select = element('select', { name: `model.${name}` });
    select.append(element('option', { value: '', textContent: offered.length > 0 ? `newest: ${describeModel(offered[0]!)}` : 'newest (none found)', selected: choice === '' }));
    for (const m of offered) select.append(element('option', { value: m.url, textContent: describeModel(m), selected: choice === m.url }));
    const file = state.files.get(name);
    if (file) select.append(element('option', { value: 'file', textContent: `file: ${file}`, selected: choice === 'file' }));
    select.append(element('option', { value: 'none', textContent: 'none (keyboard)', selected: choice === 'none' }));
    select.addEventListener('change', () => on.model(name, select.value));
    const picker = element('input', { type: 'file', accept: '.onnx', name: `file.${name}` });
    picker.addEventListener('change', () => {
      const f = picker.files?.[0];
      if (f) on.file(name, f);
    });
    const parts: (Node | string)[] = [element('label', {}, [`${name} `, select]), picker];
    const error = state.modelErrors.get(name);
    if (error) parts.push(element('div', { className: 'error' }, [error]));
    set.append(element('div', {}, parts));
  }
  const deterministic = element('input', { type: 'checkbox', checked: state.params.deterministic, name: 'deterministic' });
  deterministic.addEventListener('change', () => on.deterministic(deterministic.checked));
  set.append(element('label', {}, [deterministic, ' deterministic actions (argmax / mean)']));
  if (state.catalog.error) set.append(element('div', { className: 'error' }, [state.catalog.error]));
  else if (state.catalog.models.length === 0) set.append(element('p', { className: 'muted' }, [`No .onnx under ${state.catalog.resultsDir}. Train one, or drop a file on the page.`]));
  return set;
}
