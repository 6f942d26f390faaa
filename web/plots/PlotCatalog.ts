/**
 * Which plots the live page draws and the numbers behind them: per plot, one (step, value) series
 * per behavior, filled from the trainer's summaries. DOM-free.
 */
import type { LiveSummary } from '../api/PageApi.js';

/** A plot: a stat tag (ML-Agents' names) or the summary's steps/s. */
export interface PlotDefinition {
  key: string;
  title: string;
  read(summary: LiveSummary): number | null | undefined;
}

/** Steps per second is not a stat tag: the trainer measures it between summaries. */
export const STEPS_PER_SECOND = 'Steps/s';

const tag = (name: string, title = name): PlotDefinition => ({ key: name, title, read: (s) => s.values[name] });

/** The plots every run gets, in page order; ELO and extra losses appear once a summary has them. */
export const FIXED_PLOTS: readonly PlotDefinition[] = [
  tag('Environment/Cumulative Reward', 'Cumulative reward'),
  tag('Environment/Episode Length', 'Episode length'),
  tag('Policy/Entropy', 'Entropy'),
  tag('Losses/Policy Loss', 'Policy loss'),
  tag('Losses/Value Loss', 'Value loss'),
  { key: STEPS_PER_SECOND, title: 'Steps per second', read: (s) => s.stepsPerSecond },
];

/** Tags plotted when a summary carries them: self-play ELO, group rewards, every other loss. */
export function optionalPlotFor(tagName: string): PlotDefinition | null {
  if (FIXED_PLOTS.some((p) => p.key === tagName)) return null;
  if (tagName === 'Self-play/ELO') return tag(tagName, 'ELO (self-play)');
  if (tagName === 'Environment/Group Cumulative Reward') return tag(tagName, 'Group cumulative reward');
  if (tagName.startsWith('Losses/')) return tag(tagName, tagName.slice('Losses/'.length));
  return null;
}

/** The data of one plot: x = steps, one y column per behavior (null where it has no point). */
export interface PlotData {
  behaviors: string[];
  steps: number[];
  values: (number | null)[][];
}

/** Collects summaries into per-plot series. */
export class PlotCatalog {
  readonly plots: PlotDefinition[] = [...FIXED_PLOTS];
  private readonly points = new Map<string, Map<string, [number, number][]>>();
  /** The latest summary of each behavior. */
  readonly latest = new Map<string, LiveSummary>();

  /** Adds a summary; returns the plots that got a point (new optional plots included). */
  add(summary: LiveSummary): PlotDefinition[] {
    this.latest.set(summary.behavior, summary);
    for (const name of Object.keys(summary.values)) {
      const extra = optionalPlotFor(name);
      if (extra && !this.plots.some((p) => p.key === extra.key)) this.plots.push(extra);
    }
    const touched: PlotDefinition[] = [];
    for (const plot of this.plots) {
      const v = plot.read(summary);
      if (typeof v !== 'number' || !Number.isFinite(v)) continue;
      let byBehavior = this.points.get(plot.key);
      if (!byBehavior) this.points.set(plot.key, (byBehavior = new Map()));
      let series = byBehavior.get(summary.behavior);
      if (!series) byBehavior.set(summary.behavior, (series = []));
      series.push([summary.step, v]);
      touched.push(plot);
    }
    return touched;
  }

  /** Forgets everything (a reconnecting feed sends the whole history again). */
  clear(): void {
    this.points.clear();
    this.latest.clear();
    this.plots.splice(FIXED_PLOTS.length);
  }

  /** The series of a plot aligned on one step axis, as uPlot wants them. */
  data(key: string): PlotData {
    const byBehavior = this.points.get(key) ?? new Map<string, [number, number][]>();
    const behaviors = [...byBehavior.keys()].sort();
    const steps = [...new Set(behaviors.flatMap((b) => byBehavior.get(b)!.map(([s]) => s)))].sort((a, b) => a - b);
    const index = new Map(steps.map((s, i) => [s, i]));
    const values = behaviors.map((b) => {
      const column: (number | null)[] = new Array(steps.length).fill(null);
      for (const [s, v] of byBehavior.get(b)!) column[index.get(s)!] = v;
      return column;
    });
    return { behaviors, steps, values };
  }
}
