import { describe, expect, it } from 'vitest';
import { StatsReporter } from '../../trainer/stats/StatsReporter.js';
import { StatsSummary } from '../../trainer/stats/StatsSummary.js';
import type { StatsProperty, StatsWriter } from '../../trainer/stats/StatsWriter.js';
import { SummarySchedule } from '../../trainer/stats/SummarySchedule.js';
import { buildHistogram } from '../../trainer/stats/TensorBoardHistogram.js';
import { rewardSignalTags, StatTags } from '../../trainer/stats/StatTags.js';

class RecordingWriter implements StatsWriter {
  summaries: { category: string; values: ReadonlyMap<string, StatsSummary>; step: number }[] = [];
  properties: { category: string; property: StatsProperty }[] = [];
  progress: [string, number][] = [];
  writeStats(category: string, values: ReadonlyMap<string, StatsSummary>, step: number): void {
    this.summaries.push({ category, values, step });
  }
  addProperty(category: string, property: StatsProperty): void {
    this.properties.push({ category, property });
  }
  onProgress(category: string, step: number): void {
    this.progress.push([category, step]);
  }
}

describe('StatsSummary', () => {
  it('computes mean, population std, count and sum (numpy semantics)', () => {
    const s = new StatsSummary([0, 1, 2, 3, 4, 5, 6, 7, 8, 9], 'average');
    expect(s.mean).toBe(4.5);
    expect(s.std).toBeCloseTo(Math.sqrt(8.25), 12); // np.std(range(10)) = 2.8722813232690143
    expect(s.count).toBe(10);
    expect(s.sum).toBe(45);
    expect(s.value).toBe(4.5);
    expect(new StatsSummary([1, 2, 3], 'sum').value).toBe(6);
    expect(new StatsSummary([1, 2, 3], 'histogram').value).toBe(2);
  });

  it('keeps precision for large, tight values', () => {
    const s = new StatsSummary([1200.1, 1200.2, 1200.3], 'average');
    expect(s.std).toBeCloseTo(Math.sqrt(2 / 300), 9);
  });

  it('refuses an empty summary', () => {
    expect(() => new StatsSummary([], 'average')).toThrow(/values is empty/);
  });
});

describe('StatsReporter', () => {
  it('aggregates each key since the last write and hands one summary to every writer', () => {
    const a = new RecordingWriter();
    const b = new RecordingWriter();
    const reporter = new StatsReporter('3DBall', [a, b]);
    for (let i = 0; i < 10; i++) reporter.add(StatTags.cumulativeReward, i);
    reporter.add('Game/Targets Hit', 2, 'sum');
    reporter.add('Game/Targets Hit', 3, 'sum');
    reporter.set(StatTags.learningRate, 3e-4);
    reporter.set(StatTags.learningRate, 2e-4);
    reporter.add('Self-play/ELO', 1201, 'most_recent');
    reporter.add('Self-play/ELO', 1203, 'most_recent');
    reporter.write(1000);

    expect(a.summaries).toHaveLength(1);
    expect(b.summaries).toHaveLength(1);
    const { category, values, step } = a.summaries[0]!;
    expect(category).toBe('3DBall');
    expect(step).toBe(1000);
    expect([...values.keys()]).toEqual([StatTags.cumulativeReward, 'Game/Targets Hit', StatTags.learningRate, 'Self-play/ELO']);
    expect(values.get(StatTags.cumulativeReward)!.mean).toBe(4.5);
    expect(values.get(StatTags.cumulativeReward)!.count).toBe(10);
    expect(values.get('Game/Targets Hit')!.value).toBe(5);
    expect(values.get(StatTags.learningRate)!.values).toEqual([2e-4]);
    expect(values.get('Self-play/ELO')!.value).toBe(1203);
    expect(b.summaries[0]!.values).toBe(values);

    // The period is cleared: the next write only has what came after.
    reporter.add(StatTags.entropy, 1.4);
    reporter.write(2000);
    expect([...a.summaries[1]!.values.keys()]).toEqual([StatTags.entropy]);
    reporter.write(3000);
    expect(a.summaries[2]!.values.size).toBe(0);
  });

  it('passes custom game stats through under their own names, averaged', () => {
    const w = new RecordingWriter();
    const reporter = new StatsReporter('Basic', [w]);
    reporter.addEnvironmentStats({ 'Basic/Goals': 1, 'Speed (m/s)': 4 });
    reporter.addEnvironmentStats({ 'Basic/Goals': 3 });
    expect(reporter.summary('Basic/Goals')!.mean).toBe(2);
    reporter.write(10);
    expect(w.summaries[0]!.values.get('Speed (m/s)')!.mean).toBe(4);
  });

  it('hears writers added to the shared list later, and forwards properties and progress', () => {
    const writers: StatsWriter[] = [];
    const reporter = new StatsReporter('Pyramids', writers);
    const w = new RecordingWriter();
    writers.push(w);
    reporter.addProperty({ type: 'max_steps', value: 1_000_000 });
    reporter.progress(512);
    reporter.write(0);
    expect(w.properties).toEqual([{ category: 'Pyramids', property: { type: 'max_steps', value: 1_000_000 } }]);
    expect(w.progress).toEqual([['Pyramids', 512]]);
    expect(w.summaries).toHaveLength(1);
  });

  it('rejects bad input with the field and the fix', () => {
    expect(() => new StatsReporter('', [])).toThrow(/category is empty; pass the behavior name/);
    const reporter = new StatsReporter('Basic', []);
    expect(() => reporter.add('', 1)).toThrow(/stat key is empty/);
    expect(() => reporter.add('x', '1' as unknown as number)).toThrow(/value of "x" is string; pass a number/);
    expect(() => reporter.add('x', 1, 'median' as never)).toThrow(/aggregation of "x" is "median"; use one of average, most_recent, sum, histogram/);
    reporter.add('y', 1, 'sum');
    expect(() => reporter.add('y', 1)).toThrow(/"y" was added with aggregation "sum" in this summary period and now with "average"/);
    expect(() => reporter.write(-1)).toThrow(/step is -1; pass a non-negative integer/);
    expect(() => reporter.write(1.5)).toThrow(/step is 1.5/);
  });

  it('keeps NaN losses visible instead of throwing', () => {
    const w = new RecordingWriter();
    const reporter = new StatsReporter('Basic', [w]);
    reporter.add(StatTags.valueLoss, NaN);
    reporter.write(1);
    expect(w.summaries[0]!.values.get(StatTags.valueLoss)!.mean).toBeNaN();
  });
});

describe('rewardSignalTags', () => {
  it('capitalises like Python str.capitalize', () => {
    expect(rewardSignalTags('extrinsic')).toEqual({
      reward: 'Policy/Extrinsic Reward',
      valueEstimate: 'Policy/Extrinsic Value Estimate',
      baselineEstimate: 'Policy/Extrinsic Baseline Estimate',
    });
    expect(rewardSignalTags('rnd').reward).toBe('Policy/Rnd Reward');
    expect(rewardSignalTags('GAIL').reward).toBe('Policy/Gail Reward');
  });
});

describe('SummarySchedule', () => {
  it('labels summaries with the multiple of summary_freq that was crossed, as ML-Agents', () => {
    const schedule = new SummarySchedule(1000);
    expect(schedule.reached(0)).toBeNull();
    expect(schedule.reached(999)).toBeNull();
    expect(schedule.reached(1046)).toBe(1000);
    expect(schedule.reached(1999)).toBeNull();
    expect(schedule.reached(3500)).toBe(2000);
    expect(schedule.reached(3999)).toBeNull();
    expect(schedule.reached(4000)).toBe(4000);
  });

  it('continues from the step a resumed run starts at', () => {
    const schedule = new SummarySchedule(1000, 12_345);
    expect(schedule.reached(12_999)).toBeNull();
    expect(schedule.reached(13_001)).toBe(13_000);
  });

  it('rejects a bad summary_freq', () => {
    expect(() => new SummarySchedule(0)).toThrow(/summary_freq is 0; set a positive integer/);
  });
});

describe('buildHistogram', () => {
  it('counts values over TensorFlow default buckets, trimmed with a leading empty bucket', () => {
    const h = buildHistogram([1, 1, 2, -3, NaN])!;
    expect(h.num).toBe(4);
    expect(h.min).toBe(-3);
    expect(h.max).toBe(2);
    expect(h.sum).toBe(1);
    expect(h.sumSquares).toBe(15);
    expect(h.bucket[0]).toBe(0);
    expect(h.bucket.reduce((x, y) => x + y, 0)).toBe(4);
    expect(h.bucketLimit).toHaveLength(h.bucket.length);
    for (let i = 1; i < h.bucketLimit.length; i++) expect(h.bucketLimit[i]!).toBeGreaterThan(h.bucketLimit[i - 1]!);
    // Each value lies within the bucket that counts it: (limit[i-1], limit[i]].
    const holder = (v: number) => h.bucketLimit.findIndex((limit, i) => i > 0 && v >= h.bucketLimit[i - 1]! && v < limit);
    expect(h.bucket[holder(1)]).toBe(2);
    expect(h.bucket[holder(2)]).toBe(1);
    expect(h.bucket[holder(-3)]).toBe(1);
    expect(h.bucketLimit[0]!).toBeLessThanOrEqual(-3);
    expect(h.bucketLimit[h.bucketLimit.length - 1]!).toBeGreaterThan(2);
    expect(h.bucketLimit[h.bucketLimit.length - 1]!).toBeLessThan(2.3);
  });

  it('returns null when no finite value is left', () => {
    expect(buildHistogram([NaN, Infinity])).toBeNull();
  });
});
