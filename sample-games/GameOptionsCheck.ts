import type { GameOptions } from '../bridge/game/GameModule.js';

/** Throws, naming the option and the fix, when `create()` gets areas or a seed it cannot use. */
export function checkGameOptions(game: string, options: GameOptions): void {
  if (!Number.isInteger(options.areas) || options.areas < 1) {
    throw new Error(`${game}: options.areas must be an integer >= 1 (copies of the arena), got ${JSON.stringify(options.areas)}`);
  }
  if (!Number.isInteger(options.seed)) {
    throw new Error(`${game}: options.seed must be an integer, got ${JSON.stringify(options.seed)}`);
  }
  if (options.parameters === null || typeof options.parameters !== 'object') {
    throw new Error(`${game}: options.parameters must be an object of numbers (use {} for none), got ${JSON.stringify(options.parameters)}`);
  }
}

/**
 * Reads an environment parameter that must be a positive number, falling back to its default when
 * absent (ML-Agents' `GetWithDefault`); unknown parameter names are left alone, as in ML-Agents,
 * because one run's parameters are shared by every game and behavior.
 */
export function readPositiveParameter(
  game: string,
  parameters: Record<string, number>,
  name: string,
  fallback: number,
  meaning: string,
): number {
  if (!(name in parameters)) return fallback;
  const v = parameters[name];
  if (typeof v !== 'number' || !Number.isFinite(v) || v <= 0) {
    throw new Error(`${game}: parameters.${name} must be a number > 0 (${meaning}, default ${fallback}), got ${JSON.stringify(v)}`);
  }
  return v;
}
