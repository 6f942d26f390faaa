import { hyperparametersToText } from './HyperparameterText.js';
import { ProgressTerminal, type TerminalStream } from './ProgressTerminal.js';
import { formatPythonFixed } from './PythonFixedFormat.js';
import { StatTags } from './StatTags.js';
import type { StatsSummary } from './StatsSummary.js';
import type { StatsProperty, StatsWriter } from './StatsWriter.js';

/** Options of {@link ConsoleWriter}. */
export interface ConsoleWriterOptions {
  /** Where lines (and bars) go; default process.stdout, as ML-Agents logs to stdout. */
  stream?: TerminalStream;
  /** Draw progress bars; default: only when the stream is a TTY outside CI. */
  progressBars?: boolean;
  /** Milliseconds clock; default Date.now. */
  now?: () => number;
  /** Append our steps-per-second and episode counts after ML-Agents' fields; default true. */
  extras?: boolean;
}

/** The numbers one console summary line is made of. */
export interface SummaryLineInput {
  category: string;
  step: number;
  elapsedSeconds: number;
  values: ReadonlyMap<string, StatsSummary>;
  /** Self-play behaviors also print ELO. */
  selfPlay: boolean;
  /** Steps per second since the previous line; appended as ours when given. */
  stepsPerSecond?: number;
  /** Append the episode count of the period (ours). */
  episodes?: boolean;
}

/**
 * One summary line in ML-Agents' exact shape (stats.py ConsoleWriter.write_stats), without the
 * "[INFO] " prefix, e.g. `3DBall. Step: 12000. Time Elapsed: 15.218 s. Mean Reward: 1.169. Std of
 * Reward: 0.676. Training.`; our additions follow in the same "Name: value." style.
 */
export function formatSummaryLine(input: SummaryLineInput): string {
  const { values } = input;
  const isTraining = (values.get(StatTags.isTraining)?.value ?? 0) > 0 ? 'Training' : 'Not Training';
  const parts: string[] = [input.category, `Step: ${input.step}`, `Time Elapsed: ${formatPythonFixed(input.elapsedSeconds, 3)} s`];
  const reward = values.get(StatTags.cumulativeReward);
  if (reward !== undefined) {
    parts.push(`Mean Reward: ${formatPythonFixed(reward.mean, 3)}`);
    const groupReward = values.get(StatTags.groupCumulativeReward);
    if (groupReward !== undefined) parts.push(`Mean Group Reward: ${formatPythonFixed(groupReward.mean, 3)}`);
    else parts.push(`Std of Reward: ${formatPythonFixed(reward.std, 3)}`);
    parts.push(isTraining);
    const elo = values.get(StatTags.elo);
    if (input.selfPlay && elo !== undefined) parts.push(`ELO: ${formatPythonFixed(elo.mean, 3)}`);
  } else {
    parts.push('No episode was completed since last summary');
    parts.push(isTraining);
  }
  if (input.stepsPerSecond !== undefined) parts.push(`Steps/s: ${formatPythonFixed(input.stepsPerSecond, 1)}`);
  if (input.episodes === true && reward !== undefined) parts.push(`Episodes: ${reward.count}`);
  return parts.join('. ') + '.';
}

/**
 * Prints summaries as ML-Agents' `[INFO] <Behavior>. Step: ...` lines, the hyperparameters when a
 * behavior starts, and (on a TTY) one progress bar per behavior towards max_steps with an ETA.
 */
export class ConsoleWriter implements StatsWriter {
  private readonly terminal: ProgressTerminal;
  private readonly now: () => number;
  private readonly extras: boolean;
  private readonly startTime: number;
  private readonly selfPlay = new Set<string>();
  /** Per behavior: step and time of the previous line, the baseline of the steps/s figure. */
  private readonly lastLine = new Map<string, { step: number; time: number }>();

  constructor(options: ConsoleWriterOptions = {}) {
    const stream = options.stream ?? process.stdout;
    this.now = options.now ?? Date.now;
    this.extras = options.extras ?? true;
    this.terminal = new ProgressTerminal(stream, options.progressBars ?? ProgressTerminal.isInteractive(stream), this.now);
    this.startTime = this.now();
  }

  /** Whether progress bars are drawn. */
  get interactive(): boolean {
    return this.terminal.interactive;
  }

  /** Prints `[INFO] message` above the bars; other trainer messages should go through here too. */
  info(message: string): void {
    this.terminal.line(`[INFO] ${message}`);
  }

  /** Prints `[WARNING] message` above the bars. */
  warning(message: string): void {
    this.terminal.line(`[WARNING] ${message}`);
  }

  writeStats(category: string, values: ReadonlyMap<string, StatsSummary>, step: number): void {
    const time = this.now();
    let stepsPerSecond: number | undefined;
    if (this.extras) {
      const previous = this.lastLine.get(category) ?? { step: 0, time: this.startTime };
      const seconds = (time - previous.time) / 1000;
      if (seconds > 0 && step >= previous.step) stepsPerSecond = (step - previous.step) / seconds;
    }
    this.lastLine.set(category, { step, time });
    this.info(
      formatSummaryLine({
        category,
        step,
        elapsedSeconds: (time - this.startTime) / 1000,
        values,
        selfPlay: this.selfPlay.has(category),
        stepsPerSecond,
        episodes: this.extras,
      }),
    );
    this.terminal.update(category, step);
  }

  addProperty(category: string, property: StatsProperty): void {
    switch (property.type) {
      case 'hyperparameters':
        this.info(`Hyperparameters for behavior name ${category}: \n${hyperparametersToText(property.value)}`);
        break;
      case 'selfplay':
        if (property.value) this.selfPlay.add(category);
        else this.selfPlay.delete(category);
        break;
      case 'max_steps':
        this.terminal.setTotal(category, property.value, this.lastLine.get(category)?.step ?? 0);
        break;
    }
  }

  onProgress(category: string, step: number): void {
    // The first report is the baseline of the steps/s figure, so a resumed run counts only this
    // session's steps and start-up time (game launch, compilation) does not dilute the rate.
    if (!this.lastLine.has(category)) this.lastLine.set(category, { step, time: this.now() });
    this.terminal.update(category, step);
  }

  close(): void {
    this.terminal.close();
  }
}
