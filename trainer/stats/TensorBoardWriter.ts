import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { hyperparametersToText } from './HyperparameterText.js';
import { checkCategoryFolderName } from './CategoryFolderName.js';
import { encodeFileVersionEvent, encodeSummaryEvent, type SummaryValue } from './TensorBoardEvents.js';
import { buildHistogram } from './TensorBoardHistogram.js';
import { TfRecordWriter } from './TfRecordWriter.js';
import type { StatsSummary } from './StatsSummary.js';
import type { StatsProperty, StatsWriter } from './StatsWriter.js';

/** Options of {@link TensorBoardWriter}. */
export interface TensorBoardWriterOptions {
  /** Delete the events files already in a behavior's folder before writing (a new run, not a resume). */
  clearPastData?: boolean;
  /** Stats that are not written; default ML-Agents' ["Is Training", "Step"]. */
  hiddenKeys?: readonly string[];
  /** Milliseconds clock for wall times and file names; default Date.now. */
  now?: () => number;
  /** Host name in the file name; default os.hostname(). */
  host?: string;
}

/** Makes file names unique within one process even when two writers open in the same second. */
let fileCounter = 0;

/**
 * Writes summaries as TensorBoard event files in `<baseDir>/<Behavior>/`, as ML-Agents'
 * TensorboardWriter: one scalar per stat (the sum for 'sum' stats, else the mean), plus
 * `<key>_hist` histograms for 'histogram' stats, and the hyperparameters as a text summary.
 * Each writer opens a new file (so a resumed run appends a file next to the old ones, as
 * TensorBoard expects) and every record reaches the file before writeStats returns.
 */
export class TensorBoardWriter implements StatsWriter {
  private readonly files = new Map<string, TfRecordWriter>();
  private readonly hiddenKeys: ReadonlySet<string>;
  private readonly now: () => number;
  private readonly host: string;
  private readonly clearPastData: boolean;

  /** @param baseDir the run's results folder, e.g. results/<run-id>. */
  constructor(
    readonly baseDir: string,
    options: TensorBoardWriterOptions = {},
  ) {
    if (typeof baseDir !== 'string' || baseDir.length === 0) {
      throw new Error('TensorBoardWriter: baseDir is empty; pass the run folder, e.g. results/<run-id>');
    }
    this.hiddenKeys = new Set(options.hiddenKeys ?? ['Is Training', 'Step']);
    this.now = options.now ?? Date.now;
    this.host = options.host ?? hostname();
    this.clearPastData = options.clearPastData ?? false;
  }

  /** The events file of a category, or undefined before anything was written for it. */
  fileOf(category: string): string | undefined {
    return this.files.get(category)?.path;
  }

  writeStats(category: string, values: ReadonlyMap<string, StatsSummary>, step: number): void {
    const file = this.fileFor(category);
    const wallTime = this.now() / 1000;
    for (const [key, summary] of values) {
      if (this.hiddenKeys.has(key)) continue;
      const summaryValues: SummaryValue[] = [{ tag: key, scalar: summary.value }];
      if (summary.aggregation === 'histogram') {
        const histogram = buildHistogram(summary.values);
        if (histogram !== null) summaryValues.push({ tag: `${key}_hist`, histogram });
      }
      // One event per value, as PyTorch's SummaryWriter writes add_scalar/add_histogram.
      for (const value of summaryValues) file.write(encodeSummaryEvent(wallTime, step, [value]));
    }
  }

  addProperty(category: string, property: StatsProperty): void {
    if (property.type !== 'hyperparameters') return;
    const text = hyperparametersToText(property.value);
    this.fileFor(category).write(encodeSummaryEvent(this.now() / 1000, 0, [{ tag: 'Hyperparameters/text_summary', text }]));
  }

  close(): void {
    for (const file of this.files.values()) file.close();
    this.files.clear();
  }

  private fileFor(category: string): TfRecordWriter {
    const open = this.files.get(category);
    if (open !== undefined) return open;
    checkCategoryFolderName(category, 'TensorBoardWriter');
    const dir = join(this.baseDir, category);
    mkdirSync(dir, { recursive: true });
    if (this.clearPastData) {
      for (const name of readdirSync(dir)) if (name.startsWith('events.out')) rmSync(join(dir, name), { force: true });
    }
    const nowMs = this.now();
    // PyTorch's naming (ML-Agents' writer): time, host, pid and a counter keep files of a resumed
    // run, or of two writers in one second, apart; TensorBoard reads any name containing "tfevents".
    const seconds = String(Math.floor(nowMs / 1000)).padStart(10, '0');
    const name = `events.out.tfevents.${seconds}.${this.host}.${process.pid}.${fileCounter++}`;
    const file = new TfRecordWriter(join(dir, name));
    file.write(encodeFileVersionEvent(nowMs / 1000));
    this.files.set(category, file);
    return file;
  }
}
