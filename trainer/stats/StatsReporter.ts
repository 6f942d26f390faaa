import { STATS_AGGREGATIONS, StatsSummary, type StatsAggregation } from './StatsSummary.js';
import type { StatsProperty, StatsWriter } from './StatsWriter.js';

interface PendingStat {
  values: number[];
  aggregation: StatsAggregation;
}

/**
 * Collects the stats of one category (a behavior name) between summaries and hands each summary
 * to the writers, as ML-Agents' StatsReporter. Reporters of several behaviors share one writer list.
 */
export class StatsReporter {
  private pending = new Map<string, PendingStat>();

  /**
   * @param category the behavior name; writers use it as a folder name and line prefix.
   * @param writers shared with the other reporters; read at every call, so writers added to the
   *   array later are heard from then on.
   */
  constructor(
    readonly category: string,
    private readonly writers: readonly StatsWriter[],
  ) {
    if (typeof category !== 'string' || category.length === 0) {
      throw new Error('StatsReporter: category is empty; pass the behavior name, e.g. "3DBall"');
    }
  }

  /**
   * Adds one value of `key` to the current summary period. A key keeps one aggregation within a
   * period; 'most_recent' keeps only the latest value.
   */
  add(key: string, value: number, aggregation: StatsAggregation = 'average'): void {
    checkKey(key);
    if (typeof value !== 'number') {
      throw new Error(`StatsReporter(${this.category}).add: value of "${key}" is ${typeof value}; pass a number`);
    }
    if (!STATS_AGGREGATIONS.includes(aggregation)) {
      throw new Error(
        `StatsReporter(${this.category}).add: aggregation of "${key}" is "${String(aggregation)}"; use one of ${STATS_AGGREGATIONS.join(', ')}`,
      );
    }
    const stat = this.pending.get(key);
    if (stat === undefined) {
      this.pending.set(key, { values: [value], aggregation });
      return;
    }
    if (stat.aggregation !== aggregation) {
      throw new Error(
        `StatsReporter(${this.category}).add: "${key}" was added with aggregation "${stat.aggregation}" in this summary period and now with "${aggregation}"; use one aggregation per key`,
      );
    }
    if (aggregation === 'most_recent') stat.values[0] = value;
    else stat.values.push(value);
  }

  /** Sets `key` to `value`, replacing earlier values of this period (ML-Agents' set_stat). */
  set(key: string, value: number): void {
    checkKey(key);
    this.pending.delete(key);
    this.add(key, value, 'most_recent');
  }

  /**
   * Adds a game's custom stats (the `stats` of a steps message) under their own names, averaged
   * over the games and steps that report them.
   */
  addEnvironmentStats(stats: Readonly<Record<string, number>>): void {
    for (const [key, value] of Object.entries(stats)) this.add(key, value, 'average');
  }

  /** The summary `key` would get if the period ended now, or null when it has no value yet. */
  summary(key: string): StatsSummary | null {
    const stat = this.pending.get(key);
    return stat === undefined ? null : new StatsSummary(stat.values.slice(), stat.aggregation);
  }

  /** Ends the summary period: every writer receives the summaries of this period at `step`. */
  write(step: number): void {
    checkStep(step, `StatsReporter(${this.category}).write`);
    const values = new Map<string, StatsSummary>();
    for (const [key, stat] of this.pending) values.set(key, new StatsSummary(stat.values, stat.aggregation));
    this.pending = new Map();
    for (const writer of this.writers) writer.writeStats(this.category, values, step);
  }

  /** Tells every writer a property of this behavior (settings, self-play, max steps). */
  addProperty(property: StatsProperty): void {
    if (property.type === 'max_steps') checkStep(property.value, `StatsReporter(${this.category}).addProperty max_steps`);
    for (const writer of this.writers) writer.addProperty?.(this.category, property);
  }

  /** Tells the writers the behavior's current step, for progress bars and rates; call it often. */
  progress(step: number): void {
    checkStep(step, `StatsReporter(${this.category}).progress`);
    for (const writer of this.writers) writer.onProgress?.(this.category, step);
  }
}

function checkKey(key: string): void {
  if (typeof key !== 'string' || key.length === 0) {
    throw new Error('StatsReporter: stat key is empty; pass a tag such as "Environment/Cumulative Reward"');
  }
}

function checkStep(step: number, where: string): void {
  if (!Number.isSafeInteger(step) || step < 0) {
    throw new Error(`${where}: step is ${step}; pass a non-negative integer step count`);
  }
}
