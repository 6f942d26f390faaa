import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDefaultStatsWriters } from '../../trainer/stats/DefaultStatsWriters.js';
import { JsonlWriter, type JsonlSummaryLine } from '../../trainer/stats/JsonlWriter.js';
import { StatsReporter } from '../../trainer/stats/StatsReporter.js';
import { StatTags } from '../../trainer/stats/StatTags.js';

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'jsonl-writer-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

const readLines = (path: string): JsonlSummaryLine[] =>
  readFileSync(path, 'utf8')
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => JSON.parse(l) as JsonlSummaryLine);

describe('JsonlWriter', () => {
  it('writes one JSON line per summary with mean, std, count and the plotted value', () => {
    let clock = 1_700_000_000_000;
    const writer = new JsonlWriter(dir, { now: () => clock });
    const reporter = new StatsReporter('Basic', [writer]);
    reporter.add(StatTags.cumulativeReward, 1);
    reporter.add(StatTags.cumulativeReward, 3);
    reporter.add('Game/Hits', 2, 'sum');
    reporter.add('Game/Hits', 5, 'sum');
    reporter.add(StatTags.valueLoss, NaN);
    reporter.write(10000);
    clock += 2500;
    reporter.add(StatTags.cumulativeReward, -1);
    reporter.write(20000);

    // Read before close: each line is on disk as soon as it is written, for the live plots page.
    const lines = readLines(writer.pathOf('Basic'));
    expect(writer.pathOf('Basic')).toBe(join(dir, 'Basic', 'stats.jsonl'));
    expect(lines).toEqual([
      {
        step: 10000,
        time: 1_700_000_000,
        behavior: 'Basic',
        stats: {
          'Environment/Cumulative Reward': { value: 2, mean: 2, std: 1, count: 2, aggregation: 'average' },
          'Game/Hits': { value: 7, mean: 3.5, std: 1.5, count: 2, aggregation: 'sum' },
          'Losses/Value Loss': { value: null, mean: null, std: null, count: 1, aggregation: 'average' },
        },
      },
      {
        step: 20000,
        time: 1_700_000_002.5,
        behavior: 'Basic',
        stats: { 'Environment/Cumulative Reward': { value: -1, mean: -1, std: 0, count: 1, aggregation: 'average' } },
      },
    ]);
    writer.close();
  });

  it('appends on resume and starts afresh otherwise', () => {
    const write = (clearPastData: boolean, step: number) => {
      const writer = new JsonlWriter(dir, { clearPastData });
      const reporter = new StatsReporter('A', [writer]);
      reporter.add('x', step);
      reporter.write(step);
      writer.close();
      return writer.pathOf('A');
    };
    write(true, 1);
    const path = write(false, 2);
    expect(readLines(path).map((l) => l.step)).toEqual([1, 2]);
    write(true, 3);
    expect(readLines(path).map((l) => l.step)).toEqual([3]);
  });

  it('rejects behavior names that are not folder names', () => {
    const writer = new JsonlWriter(dir);
    expect(() => writer.writeStats('a/b', new Map(), 1)).toThrow(/behavior name "a\/b" cannot be a folder name/);
  });
});

describe('createDefaultStatsWriters', () => {
  it('sets up TensorBoard, JSON lines and console writers for one run folder', () => {
    const out: string[] = [];
    const writers = createDefaultStatsWriters(dir, { resume: false, console: { stream: { write: (s) => out.push(s) > 0 } } });
    const reporter = new StatsReporter('Basic', writers.all);
    reporter.add(StatTags.cumulativeReward, 0.5);
    reporter.add(StatTags.isTraining, 1);
    reporter.write(1000);
    for (const w of writers.all) w.close();
    expect(readLines(writers.jsonl.pathOf('Basic'))).toHaveLength(1);
    expect(writers.tensorBoard.fileOf('Basic')).toBeUndefined(); // closed writers forget their files
    expect(out.join('')).toMatch(/^\[INFO\] Basic\. Step: 1000\. Time Elapsed: \d+\.\d{3} s\. Mean Reward: 0\.500\. Std of Reward: 0\.000\. Training\./);
  });
});
