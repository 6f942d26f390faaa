import type { LiveHistory, LiveSummary } from '../../web/api/PageApi.js';
import type { StatsSummary } from '../stats/StatsSummary.js';
import type { StatsProperty, StatsWriter } from '../stats/StatsWriter.js';

/**
 * A stats writer that keeps every summary of the run in memory and tells subscribers about new
 * ones: the data of the live plots page. It gets the same numbers as the console, TensorBoard and
 * stats.jsonl (every StatsReporter of the run writes to it).
 */
export class LiveStats implements StatsWriter {
  private readonly summaries: LiveSummary[] = [];
  private readonly previous = new Map<string, { step: number; time: number }>();
  private readonly listeners = new Set<(summary: LiveSummary) => void>();
  private readonly selfPlay: Record<string, boolean> = {};

  /** @param now milliseconds clock; default Date.now. */
  constructor(
    readonly runId: string,
    private readonly now: () => number = Date.now,
  ) {}

  writeStats(category: string, values: ReadonlyMap<string, StatsSummary>, step: number): void {
    const time = this.now() / 1000;
    const plain: Record<string, number | null> = {};
    for (const [tag, s] of values) plain[tag] = Number.isFinite(s.value) ? s.value : null;
    const before = this.previous.get(category);
    // The first summary is the baseline, as in the console's Steps/s (a resumed run starts mid-way).
    const stepsPerSecond = before && time > before.time && step >= before.step ? (step - before.step) / (time - before.time) : null;
    this.previous.set(category, { step, time });
    const summary: LiveSummary = { behavior: category, step, time, values: plain, stepsPerSecond };
    this.summaries.push(summary);
    for (const listener of this.listeners) listener(summary);
  }

  addProperty(category: string, property: StatsProperty): void {
    if (property.type === 'selfplay') this.selfPlay[category] = property.value;
  }

  /** Calls `listener` with each new summary; returns the unsubscribe function. */
  subscribe(listener: (summary: LiveSummary) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Everything so far. */
  history(): LiveHistory {
    return { runId: this.runId, summaries: [...this.summaries], selfPlay: { ...this.selfPlay } };
  }

  close(): void {
    this.listeners.clear();
  }
}
