import type { AIController } from '../agent/AIController.js';
import type { BehaviorSpec } from '../spec/BehaviorSpec.js';
import type { StatsRecorder } from './StatsRecorder.js';

/** How a game is asked to build itself. */
export interface GameOptions {
  /** Copies of the arena, each with its own agents. */
  areas: number;
  /** Seed for everything random in the game. */
  seed: number;
  /** Environment parameters from the trainer (curriculum, difficulty ...). */
  parameters: Record<string, number>;
  /**
   * Custom statistics for the trainer's summaries (ML-Agents' StatsRecorder), e.g.
   * `options.stats?.add('Game/Goals', 1)`. Hosts that train give one; a game run without a trainer
   * (a unit test, a page in play mode) may get none.
   */
  stats?: StatsRecorder;
}

/** A running game: its agents and one fixed step of its simulation. */
export interface GameInstance {
  /** Every agent of every area; Sync registers them once at start. */
  readonly agents: readonly AIController[];
  /** Simulated seconds advanced by one `step()` (the view maps this to real time). */
  readonly fixedDeltaTime: number;
  /** Advances physics and game rules by one fixed step (agents have applied their actions). */
  step(): void;
  /** New environment parameters, applied from the next episode on. */
  setParameters?(parameters: Record<string, number>): void;
  /** Frees physics worlds and timers. */
  dispose?(): void;
}

/**
 * What a game file exports (as its default export or as `game`) so that the trainer can run it
 * headless with `--env path/to/game.ts`: no Three.js, no DOM, only the simulation.
 */
export interface GameModule {
  /** Name used on the command line (matched case-insensitively). */
  readonly name: string;
  /** One line for `three-rl games`. */
  readonly description: string;
  /** The behaviors its agents use. */
  readonly behaviors: readonly BehaviorSpec[];
  /** Builds the simulation. */
  create(options: GameOptions): GameInstance;
}
