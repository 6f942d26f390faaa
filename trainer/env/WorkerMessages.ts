/**
 * What the GameProcessPool and a gameWorker say to each other over the child's IPC channel. The
 * start config travels here rather than on the command line so that the token never shows in `ps`.
 */

/** Everything a worker needs to run its game against the trainer. */
export interface WorkerConfig {
  /** Built-in game name or path to a game module. */
  game: string;
  /** Directory a relative module path is resolved from (the trainer's cwd). */
  cwd: string;
  url: string;
  token?: string;
  instanceId: string;
  seed: number;
  areas: number;
  parameters: Record<string, number>;
  /** Stop after this many scene steps (tests, benchmarks); run until the trainer closes when absent. */
  maxSteps?: number;
  /** File to append one JSON line per finished episode (EpisodeEndInfo) to. */
  episodeLog?: string;
}

export type ParentToWorker = { type: 'start'; config: WorkerConfig };

export type WorkerToParent =
  /** Connected to the trainer and stepping. */
  | { type: 'ready'; game: string }
  /** Cannot run at all (unknown game, bad module, create() threw): restarting would not help. */
  | { type: 'fatal'; message: string }
  /** Failed while running (the game threw, the connection broke): worth a restart. */
  | { type: 'crash'; message: string };

/** Exit code of a worker that reported `fatal` (EX_CONFIG of sysexits.h). */
export const WORKER_FATAL_EXIT = 78;
