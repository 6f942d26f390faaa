/**
 * What the page server and the pages say to each other: the HTTP paths and JSON shapes. Type
 * and constant only, so both the Node server and the browser bundles import it.
 */

/** Paths the page server answers besides the built pages. */
export const ApiPaths = {
  /** GET: ServerInfo. */
  server: '/api/server',
  /** GET: ModelList of every policy file the server offers. */
  models: '/api/models',
  /** Prefix of policy files under the results folder: /models/<run>/<file>. */
  resultsModels: '/models/',
  /** Prefix of the file given with `three-rl play --model`. */
  cliModel: '/cli-model/',
  /** GET: LiveHistory of a running trainer (served only while training). */
  liveHistory: '/live/history',
  /** GET: server-sent events: `history` (a LiveHistory) on connect, then a LiveSummary per `summary` event (served only while training). */
  liveEvents: '/live/events',
} as const;

/** GET /api/server: what this page server is part of. */
export interface ServerInfo {
  /** Set when a trainer serves the pages: the address game pages connect to in train mode. */
  trainer: string | null;
  /** True when the live plots page has a trainer to show. */
  livePlots: boolean;
}

/** One .onnx policy file the page can load. */
export interface ModelEntry {
  /** URL path to fetch it from this server. */
  url: string;
  /** Short name for a menu, e.g. "ball/3DBall.onnx". */
  label: string;
  /** Behaviors it fits: from its place under results/, or checked against the games for --model. Empty: unknown. */
  behaviors: string[];
  /** Trainer step of a checkpoint file, null for a run's final model or a file of unknown origin. */
  step: number | null;
  /** Last modification, ms since the epoch: the newest is offered first. */
  modifiedMs: number;
  /** 'cli' for the file given with --model, 'results' for files found under the results folder. */
  source: 'cli' | 'results';
}

/** GET /api/models. */
export interface ModelList {
  /** Newest first, the --model file before everything else. */
  models: ModelEntry[];
  /** The folder that was searched, for the page to tell the user where to put models. */
  resultsDir: string;
}

/** One summary of one behavior, as the trainer's stats writers got it. */
export interface LiveSummary {
  behavior: string;
  step: number;
  /** Seconds since the epoch. */
  time: number;
  /** Stat tag (ML-Agents' names, e.g. "Environment/Cumulative Reward") -> value; null when not a number. */
  values: Record<string, number | null>;
  /** Agent steps per second since the previous summary of this behavior; null for the first. */
  stepsPerSecond: number | null;
}

/** GET /live/history. */
export interface LiveHistory {
  runId: string;
  /** Every summary so far, in order. */
  summaries: LiveSummary[];
  /** Whether the behavior trains with self-play (its ELO is plotted). */
  selfPlay: Record<string, boolean>;
}
