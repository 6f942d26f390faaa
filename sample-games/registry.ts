import type { GameModule } from '../bridge/game/GameModule.js';
import ball3D from './3dball/index.js';
import basic from './basic/index.js';
import pyramids from './pyramids/index.js';
import snowballTarget from './snowball-target/index.js';

/** The games that ship with the project, runnable by name with `--env`. */
export const builtInGames: readonly GameModule[] = [basic, ball3D, snowballTarget, pyramids];

/** Finds a built-in game by name, ignoring case. */
export function findBuiltInGame(name: string): GameModule | undefined {
  const wanted = name.toLowerCase();
  return builtInGames.find((g) => g.name.toLowerCase() === wanted);
}
