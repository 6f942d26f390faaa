import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { checkCategoryFolderName } from './CategoryFolderName.js';
import type { StatsSummary } from './StatsSummary.js';
import type { StatsWriter } from './StatsWriter.js';

/** One stat of one summary line in stats.jsonl. */
export interface JsonlStat {
  /** What TensorBoard plots: the sum for 'sum' stats, else the mean. */
  value: number | null;
  mean: number | null;
  std: number | null;
  count: number;
  aggregation: string;
}

/** One line of stats.jsonl: a behavior's summary at a step. */
export interface JsonlSummaryLine {
  step: number;
  /** Wall clock, seconds since the Unix epoch (as TensorBoard's wall_time). */
  time: number;
  behavior: string;
  stats: Record<string, JsonlStat>;
}

/** Options of {@link JsonlWriter}. */
export interface JsonlWriterOptions {
  /** Start the file empty (a new run); otherwise lines are appended (a resume). */
  clearPastData?: boolean;
  /** Milliseconds clock; default Date.now. */
  now?: () => number;
}

/** The file name inside each behavior's folder. */
export const STATS_JSONL_FILE = 'stats.jsonl';

/** JSON has no NaN or Infinity; they become null so every line stays parseable. */
function finiteOrNull(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

/**
 * Writes every summary as one JSON line to `<baseDir>/<Behavior>/stats.jsonl`, the same numbers
 * the console and TensorBoard get, for our own tools (the live plots page tails this file).
 * Each line is written whole with one synchronous write, so a reader never sees half a line
 * unless the process dies mid-write.
 */
export class JsonlWriter implements StatsWriter {
  private readonly files = new Map<string, number>();
  private readonly now: () => number;
  private readonly clearPastData: boolean;

  /** @param baseDir the run's results folder, e.g. results/<run-id>. */
  constructor(
    readonly baseDir: string,
    options: JsonlWriterOptions = {},
  ) {
    if (typeof baseDir !== 'string' || baseDir.length === 0) {
      throw new Error('JsonlWriter: baseDir is empty; pass the run folder, e.g. results/<run-id>');
    }
    this.now = options.now ?? Date.now;
    this.clearPastData = options.clearPastData ?? false;
  }

  /** The stats.jsonl path of a behavior. */
  pathOf(category: string): string {
    return join(this.baseDir, category, STATS_JSONL_FILE);
  }

  writeStats(category: string, values: ReadonlyMap<string, StatsSummary>, step: number): void {
    const stats: Record<string, JsonlStat> = {};
    for (const [key, summary] of values) {
      stats[key] = {
        value: finiteOrNull(summary.value),
        mean: finiteOrNull(summary.mean),
        std: finiteOrNull(summary.std),
        count: summary.count,
        aggregation: summary.aggregation,
      };
    }
    const line: JsonlSummaryLine = { step, time: this.now() / 1000, behavior: category, stats };
    const bytes = Buffer.from(JSON.stringify(line) + '\n', 'utf8');
    const fd = this.fileFor(category);
    let offset = 0;
    while (offset < bytes.length) offset += writeSync(fd, bytes, offset, bytes.length - offset);
  }

  close(): void {
    for (const fd of this.files.values()) closeSync(fd);
    this.files.clear();
  }

  private fileFor(category: string): number {
    const open = this.files.get(category);
    if (open !== undefined) return open;
    checkCategoryFolderName(category, 'JsonlWriter');
    mkdirSync(join(this.baseDir, category), { recursive: true });
    const fd = openSync(this.pathOf(category), this.clearPastData ? 'w' : 'a');
    this.files.set(category, fd);
    return fd;
  }
}
