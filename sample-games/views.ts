/**
 * The Three.js view of each built-in game, by the game's name in registry.ts. Views are imported
 * lazily so that a page loads only the one it shows, and so that registry.ts (which the headless
 * trainer imports) stays free of Three.js. Add a line here when a game gets a view.ts.
 */
import type { GameInstance } from '../bridge/game/GameModule.js';
import type { GameView } from './ViewStage.js';

/** What a game's view.ts exports. */
export interface GameViewModule {
  /** Draws `game` (made by the same game's module) on `canvas`, and wires its keyboard input. */
  createView(game: GameInstance, canvas: HTMLCanvasElement): GameView;
}

/** Game name (as in builtInGames) -> import of its view module. */
export const builtInViews: Readonly<Record<string, () => Promise<GameViewModule>>> = {
  basic: () => import('./basic/view.js'),
  '3dball': () => import('./3dball/view.js'),
  snowballtarget: () => import('./snowball-target/view.js'),
  pyramids: () => import('./pyramids/view.js'),
};

/** Imports the view of a built-in game (name matched case-insensitively); null when it has none. */
export async function loadBuiltInView(name: string): Promise<GameViewModule | null> {
  const wanted = name.toLowerCase();
  const key = Object.keys(builtInViews).find((k) => k.toLowerCase() === wanted);
  return key ? builtInViews[key]!() : null;
}

/** True when the built-in game has a view. */
export function hasBuiltInView(name: string): boolean {
  const wanted = name.toLowerCase();
  return Object.keys(builtInViews).some((k) => k.toLowerCase() === wanted);
}
