import type { StatsSummary } from './StatsSummary.js';

/**
 * A fact about a behavior that is not a per-step number, as ML-Agents' StatsPropertyType:
 * its resolved settings ('hyperparameters'), whether it trains with self-play ('selfplay', which
 * makes the console print ELO) and the step count it trains to ('max_steps', for progress bars).
 */
export type StatsProperty =
  | { type: 'hyperparameters'; value: Readonly<Record<string, unknown>> }
  | { type: 'selfplay'; value: boolean }
  | { type: 'max_steps'; value: number };

/** A destination for summaries: the console, TensorBoard event files, JSON lines. */
export interface StatsWriter {
  /** Receives one summary of a category (a behavior): every stat added since its last summary. */
  writeStats(category: string, values: ReadonlyMap<string, StatsSummary>, step: number): void;
  /** Receives a property of a category; writers that have no use for it ignore it. */
  addProperty?(category: string, property: StatsProperty): void;
  /** Hears the category's current step between summaries (progress bars, rates). */
  onProgress?(category: string, step: number): void;
  /** Releases files, timers and terminal state; the writer takes no more calls afterwards. */
  close?(): void;
}
