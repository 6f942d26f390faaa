/**
 * Finds the game `--env` names: a built-in game (case-insensitive) or a path to a user's module
 * that exports a GameModule as default or as `game`. Imports need a TypeScript loader (tsx) for
 * `.ts` files, which the CLI and the game workers have.
 */
import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { GameModule } from '../../bridge/game/GameModule.js';
import { checkBehaviorSpec } from '../../bridge/spec/BehaviorSpec.js';
import { builtInGames, findBuiltInGame } from '../../sample-games/registry.js';

/** A game that cannot be loaded; the message says why and what to pass instead. */
export class GameModuleError extends Error {
  override name = 'GameModuleError';
}

/** True when `--env` looks like a file rather than a built-in name. */
export function isGameModulePath(specifier: string): boolean {
  return /[\\/]/.test(specifier) || /\.(m|c)?(t|j)sx?$/.test(specifier);
}

/** Loads a built-in game by name or a user's game module by path (relative to `cwd`). */
export async function loadGameModule(specifier: string, cwd = process.cwd()): Promise<GameModule> {
  if (typeof specifier !== 'string' || specifier.trim() === '') {
    throw new GameModuleError(`expected a built-in game name (${builtInNames()}) or a path to a game module, got ${JSON.stringify(specifier)}`);
  }
  if (!isGameModulePath(specifier)) {
    const game = findBuiltInGame(specifier);
    if (game) return game;
    throw new GameModuleError(
      `no built-in game named '${specifier}'. Built-in games: ${builtInNames()}. ` +
        'To train your own game, pass the path to its module (e.g. --env ./my-game/sim.ts).',
    );
  }
  const file = isAbsolute(specifier) ? specifier : resolve(cwd, specifier);
  if (!existsSync(file)) {
    throw new GameModuleError(`game module ${file} does not exist; pass a path to a .ts or .js file that exports a GameModule`);
  }
  let exports: Record<string, unknown>;
  try {
    exports = (await import(pathToFileURL(file).href)) as Record<string, unknown>;
  } catch (e) {
    const detail = e instanceof Error ? (e.stack ?? e.message) : String(e);
    throw new GameModuleError(`importing ${file} failed:\n${detail}`);
  }
  const candidate = exports.default ?? exports.game;
  if (candidate === undefined) {
    const names = Object.keys(exports).join(', ') || 'nothing';
    throw new GameModuleError(
      `${file} exports no GameModule: expected \`export default { name, description, behaviors, create }\` ` +
        `or \`export const game = ...\`, found exports: ${names}. See trainer/env/GAME_MODULES.md.`,
    );
  }
  return checkGameModule(candidate, file);
}

/** Throws naming the field when `value` is not a GameModule; returns it typed. */
export function checkGameModule(value: unknown, source: string): GameModule {
  const fail = (field: string, expected: string, got: unknown): never => {
    const shown = typeof got === 'function' ? 'a function' : JSON.stringify(got) ?? String(got);
    const where = field ? `GameModule.${field}` : 'the exported GameModule';
    throw new GameModuleError(`${source}: ${where}: expected ${expected}, got ${shown}. See trainer/env/GAME_MODULES.md.`);
  };
  if (value === null || typeof value !== 'object') fail('', 'an object { name, description, behaviors, create }', value);
  const m = value as Record<string, unknown>;
  if (typeof m.name !== 'string' || m.name.trim() === '') fail('name', 'a non-empty string', m.name);
  if (typeof m.description !== 'string') fail('description', 'a one-line string', m.description);
  if (!Array.isArray(m.behaviors) || m.behaviors.length === 0) fail('behaviors', 'a non-empty list of behavior specs', m.behaviors);
  (m.behaviors as unknown[]).forEach((b, i) => {
    if (b === null || typeof b !== 'object') fail(`behaviors[${i}]`, 'a behavior spec { name, observations, actions, teamCount, maxStep }', b);
    try {
      checkBehaviorSpec(b as GameModule['behaviors'][number], `behaviors[${i}]`);
    } catch (e) {
      throw new GameModuleError(`${source}: GameModule.${e instanceof Error ? e.message : String(e)}`);
    }
  });
  if (typeof m.create !== 'function') fail('create', 'a function ({ areas, seed, parameters }) => GameInstance', m.create);
  return value as GameModule;
}

function builtInNames(): string {
  return builtInGames.map((g) => g.name).join(', ');
}
