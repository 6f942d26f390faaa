/**
 * The game page's settings as URL query parameters, so that every choice survives a reload and a
 * URL printed by the trainer opens a page ready to train. Browser-safe and DOM-free: the trainer
 * imports gamePagePath to print its URLs.
 */

/** What the page does: run a model, take keyboard input, let the user play against models, or train. */
export type PlayMode = 'watch' | 'play' | 'versus' | 'train';

/** Simulated seconds per real second, or as fast as the page can step while still drawing. */
export type Speed = number | 'max';

/** Every setting of a game page. */
export interface GamePageParams {
  /** Game name as in the registry (case-insensitive). */
  game: string;
  mode: PlayMode;
  /** Per behavior: a model URL path, 'none', or absent for the newest that fits. */
  models: Record<string, string>;
  /** Copies of the arena. */
  areas: number;
  /** Null: 1 for watch/play/versus, the trainer's time scale in train mode. */
  speed: Speed | null;
  /** Trainer address in train mode. */
  trainer: string;
  /** Null: a random seed per session. */
  seed: number | null;
  /** Argmax / mean actions instead of sampled ones (ML-Agents' DeterministicInference). */
  deterministic: boolean;
}

/** The trainer address a page uses when none is given (`three-rl train`'s default port). */
export const DEFAULT_TRAINER_URL = 'ws://127.0.0.1:5004';
export const PLAY_MODES: readonly PlayMode[] = ['watch', 'play', 'versus', 'train'];
/** The choices of the speed control. */
export const SPEEDS: readonly Speed[] = [0.5, 1, 2, 5, 10, 20, 50, 100, 'max'];
const MAX_AREAS = 64;

/** Reads the page's query string; throws naming the parameter and what it accepts. */
export function parseGamePageParams(query: string | URLSearchParams): GamePageParams {
  const q = typeof query === 'string' ? new URLSearchParams(query) : query;
  const game = q.get('game') ?? '';
  if (game === '') throw new Error('the URL has no ?game=<name>; open a game from the start page');
  const mode = (q.get('mode') ?? 'watch') as PlayMode;
  if (!PLAY_MODES.includes(mode)) throw new Error(`mode=${q.get('mode')} is not a mode; use one of ${PLAY_MODES.join(', ')}`);
  const areas = intParam(q, 'areas', 1);
  if (areas < 1 || areas > MAX_AREAS) throw new Error(`areas=${areas}: use 1 to ${MAX_AREAS} copies of the arena`);
  const speed = speedParam(q.get('speed'));
  const trainer = q.get('trainer') ?? DEFAULT_TRAINER_URL;
  if (!/^wss?:\/\/[^/]+/.test(trainer)) throw new Error(`trainer=${trainer} is not a WebSocket address; use e.g. ${DEFAULT_TRAINER_URL}`);
  const seedText = q.get('seed');
  const seed = seedText === null || seedText === '' ? null : intParam(q, 'seed', 0);
  const models: Record<string, string> = {};
  for (const [key, value] of q) if (key.startsWith('model.') && key.length > 6 && value !== '') models[key.slice(6)] = value;
  const deterministic = q.get('deterministic') === '1' || q.get('deterministic') === 'true';
  return { game, mode, models, areas, speed, trainer, seed, deterministic };
}

/** The query string of a game page (leaving out defaults), starting with '?'. */
export function gamePageQuery(p: Partial<GamePageParams> & { game: string }): string {
  const q = new URLSearchParams({ game: p.game });
  if (p.mode && p.mode !== 'watch') q.set('mode', p.mode);
  for (const [behavior, model] of Object.entries(p.models ?? {})) q.set(`model.${behavior}`, model);
  if (p.areas !== undefined && p.areas !== 1) q.set('areas', String(p.areas));
  if (p.speed !== undefined && p.speed !== null) q.set('speed', String(p.speed));
  if (p.trainer !== undefined && (p.mode === 'train' || p.trainer !== DEFAULT_TRAINER_URL)) q.set('trainer', p.trainer);
  if (p.seed !== undefined && p.seed !== null) q.set('seed', String(p.seed));
  if (p.deterministic) q.set('deterministic', '1');
  return `?${q.toString()}`;
}

/** Path (from the server root) of a game page. */
export function gamePagePath(p: Partial<GamePageParams> & { game: string }): string {
  return `/game.html${gamePageQuery(p)}`;
}

/** Path of the start page; with a trainer, its game links open in train mode. */
export function startPagePath(trainer?: string): string {
  return trainer ? `/?${new URLSearchParams({ trainer }).toString()}` : '/';
}

function intParam(q: URLSearchParams, name: string, fallback: number): number {
  const text = q.get(name);
  if (text === null || text === '') return fallback;
  const v = Number(text);
  if (!Number.isSafeInteger(v)) throw new Error(`${name}=${text} is not a whole number`);
  return v;
}

function speedParam(text: string | null): Speed | null {
  if (text === null || text === '') return null;
  if (text === 'max') return 'max';
  const v = Number(text);
  if (!(v > 0) || !Number.isFinite(v) || v > 1000) throw new Error(`speed=${text}: use a number of times real time in (0, 1000], or max`);
  return v;
}
