import { describe, expect, it } from 'vitest';
import { ConsoleWriter, formatSummaryLine } from '../../trainer/stats/ConsoleWriter.js';
import { ProgressTerminal } from '../../trainer/stats/ProgressTerminal.js';
import { StatsReporter } from '../../trainer/stats/StatsReporter.js';
import { StatsSummary } from '../../trainer/stats/StatsSummary.js';
import { StatTags } from '../../trainer/stats/StatTags.js';

const summaries = (entries: [string, number[]][]) => new Map(entries.map(([k, v]) => [k, new StatsSummary(v, 'average')]));

class CapturedStream {
  chunks: string[] = [];
  constructor(
    readonly isTTY: boolean,
    readonly columns = 100,
  ) {}
  write(chunk: string): boolean {
    this.chunks.push(chunk);
    return true;
  }
  get text(): string {
    return this.chunks.join('');
  }
}

/**
 * Replays what a terminal does with the escape codes Node's readline and cli-progress emit
 * (cursor moves, column set, line and screen clears) and returns the rows left on screen.
 */
function renderScreen(output: string, width: number): string[] {
  const rows: string[][] = [[]];
  let row = 0;
  let col = 0;
  let autowrap = true;
  const line = () => (rows[row] ??= []);
  for (let i = 0; i < output.length; i++) {
    const ch = output[i]!;
    if (ch === '\x1b') {
      const m = /^\x1b\[(\??)(\d*)([A-Za-z])/.exec(output.slice(i));
      if (m === null) throw new Error(`unknown escape at ${i}: ${JSON.stringify(output.slice(i, i + 8))}`);
      i += m[0].length - 1;
      const n = m[2] === '' ? 0 : Number(m[2]);
      if (m[1] === '?') {
        if (n === 7) autowrap = m[3] === 'h';
        continue; // cursor visibility
      }
      switch (m[3]) {
        case 'A': row = Math.max(0, row - (n || 1)); break;
        case 'B': row += n || 1; break;
        case 'C': col += n || 1; break;
        case 'D': col = Math.max(0, col - (n || 1)); break;
        case 'G': col = Math.max(0, n - 1); break;
        case 'K':
          if (n === 0) line().length = Math.min(line().length, col);
          else if (n === 1) for (let c = 0; c <= col; c++) line()[c] = ' ';
          else rows[row] = [];
          break;
        case 'J': line().length = Math.min(line().length, col); rows.length = row + 1; break;
        default: throw new Error(`unhandled escape ${m[0]}`);
      }
      continue;
    }
    if (ch === '\n') { row++; col = 0; line(); continue; }
    if (ch === '\r') { col = 0; continue; }
    if (col >= width) {
      if (autowrap) { row++; col = 0; } else col = width - 1;
    }
    line()[col++] = ch;
  }
  return rows.map((r) => Array.from(r, (c) => c ?? ' ').join('').trimEnd());
}

describe('formatSummaryLine', () => {
  it('matches ML-Agents ConsoleWriter exactly', () => {
    const line = formatSummaryLine({
      category: 'Basic',
      step: 10000,
      elapsedSeconds: 12.3,
      values: summaries([[StatTags.cumulativeReward, [0.92, 0.94]], [StatTags.isTraining, [1]]]),
      selfPlay: false,
    });
    expect(line).toBe('Basic. Step: 10000. Time Elapsed: 12.300 s. Mean Reward: 0.930. Std of Reward: 0.010. Training.');
  });

  it('reproduces the lines of ML-Agents own unit test (mean 1, std 1; Not Training)', () => {
    const reward = new StatsSummary([0, 2], 'average');
    const training = (v: number) => new StatsSummary([v], 'average');
    const a = formatSummaryLine({ category: 'category1', step: 10, elapsedSeconds: 0.0004, values: new Map([[StatTags.cumulativeReward, reward], [StatTags.isTraining, training(1)]]), selfPlay: false });
    const b = formatSummaryLine({ category: 'category1', step: 10, elapsedSeconds: 0.0004, values: new Map([[StatTags.cumulativeReward, reward], [StatTags.isTraining, training(0)]]), selfPlay: false });
    expect(a).toBe('category1. Step: 10. Time Elapsed: 0.000 s. Mean Reward: 1.000. Std of Reward: 1.000. Training.');
    expect(b).toBe('category1. Step: 10. Time Elapsed: 0.000 s. Mean Reward: 1.000. Std of Reward: 1.000. Not Training.');
  });

  it('says when no episode completed, and treats a missing "Is Training" as not training', () => {
    expect(formatSummaryLine({ category: 'Pyramids', step: 20000, elapsedSeconds: 61.0625, values: summaries([[StatTags.entropy, [1.6]]]), selfPlay: false })).toBe(
      'Pyramids. Step: 20000. Time Elapsed: 61.062 s. No episode was completed since last summary. Not Training.',
    );
  });

  it('appends ELO only for self-play behaviors, and prints the group reward instead of the std', () => {
    const values = summaries([
      [StatTags.cumulativeReward, [-1, 1, 1, 1]],
      [StatTags.groupCumulativeReward, [0.5, 0.25]],
      [StatTags.isTraining, [1]],
      [StatTags.elo, [1210.5]],
    ]);
    expect(formatSummaryLine({ category: 'SoccerTwos', step: 50000, elapsedSeconds: 100, values, selfPlay: true })).toBe(
      'SoccerTwos. Step: 50000. Time Elapsed: 100.000 s. Mean Reward: 0.500. Mean Group Reward: 0.375. Training. ELO: 1210.500.',
    );
    expect(formatSummaryLine({ category: 'SoccerTwos', step: 50000, elapsedSeconds: 100, values, selfPlay: false })).toBe(
      'SoccerTwos. Step: 50000. Time Elapsed: 100.000 s. Mean Reward: 0.500. Mean Group Reward: 0.375. Training.',
    );
  });

  it('appends our steps per second and episode count in the same style', () => {
    const values = summaries([[StatTags.cumulativeReward, [1, 2, 3]], [StatTags.isTraining, [1]]]);
    expect(formatSummaryLine({ category: 'Basic', step: 2000, elapsedSeconds: 2, values, selfPlay: false, stepsPerSecond: 812.34, episodes: true })).toBe(
      'Basic. Step: 2000. Time Elapsed: 2.000 s. Mean Reward: 2.000. Std of Reward: 0.816. Training. Steps/s: 812.3. Episodes: 3.',
    );
  });
});

describe('ConsoleWriter', () => {
  it('prints plain [INFO] lines without escape codes when the stream is not a TTY', () => {
    const stream = new CapturedStream(false);
    let clock = 50_000;
    const writer = new ConsoleWriter({ stream, now: () => clock });
    expect(writer.interactive).toBe(false);
    const reporter = new StatsReporter('3DBall', [writer]);
    reporter.addProperty({ type: 'max_steps', value: 500_000 });
    reporter.addProperty({ type: 'hyperparameters', value: { trainer_type: 'ppo', hyperparameters: { batch_size: 64 } } });
    reporter.progress(0);
    clock += 6000;
    reporter.progress(6000);
    reporter.add(StatTags.cumulativeReward, 1.25);
    reporter.add(StatTags.cumulativeReward, 0.75);
    reporter.add(StatTags.isTraining, 1);
    reporter.write(12000);
    clock += 4000;
    reporter.write(24000);
    writer.close();
    expect(stream.text).not.toMatch(/\x1b/);
    expect(stream.text).toBe(
      [
        '[INFO] Hyperparameters for behavior name 3DBall: \n\ttrainer_type:\tppo\n\thyperparameters:\t\n\t  batch_size:\t64',
        '[INFO] 3DBall. Step: 12000. Time Elapsed: 6.000 s. Mean Reward: 1.000. Std of Reward: 0.250. Training. Steps/s: 2000.0. Episodes: 2.',
        '[INFO] 3DBall. Step: 24000. Time Elapsed: 10.000 s. No episode was completed since last summary. Not Training. Steps/s: 3000.0.',
        '',
      ].join('\n'),
    );
  });

  it('prints exactly ML-Agents lines with extras off', () => {
    const stream = new CapturedStream(false);
    const writer = new ConsoleWriter({ stream, now: () => 0, extras: false });
    writer.addProperty('SoccerTwos', { type: 'selfplay', value: true });
    writer.writeStats('SoccerTwos', summaries([[StatTags.cumulativeReward, [1]], [StatTags.isTraining, [1]], [StatTags.elo, [1200]]]), 10);
    expect(stream.text).toBe('[INFO] SoccerTwos. Step: 10. Time Elapsed: 0.000 s. Mean Reward: 1.000. Std of Reward: 0.000. Training. ELO: 1200.000.\n');
  });

  // 200 columns: lines fit; 60 columns: lines wrap, and no bar fragment may survive next to them.
  it.each([200, 60])('keeps INFO lines intact above one progress bar per behavior on a %d-column TTY', async (width) => {
    const stream = new CapturedStream(true, width);
    let clock = 0;
    const writer = new ConsoleWriter({ stream, now: () => clock, progressBars: true });
    const basic = new StatsReporter('Basic', [writer]);
    const ball = new StatsReporter('3DBall', [writer]);
    basic.addProperty({ type: 'max_steps', value: 1000 });
    ball.addProperty({ type: 'max_steps', value: 4000 });
    const expectedLines: string[] = [];
    for (let k = 1; k <= 4; k++) {
      clock += 1000;
      basic.progress(k * 250);
      ball.progress(k * 500);
      // Let cli-progress's own redraw timer fire between our lines, as it does in a real run.
      await new Promise((resolve) => setTimeout(resolve, 30));
      basic.add(StatTags.cumulativeReward, k);
      basic.add(StatTags.isTraining, 1);
      basic.write(k * 250);
      // The first progress report is the steps/s baseline: no rate until time has passed since it.
      const rate = k === 1 ? '' : ' Steps/s: 250.0.';
      expectedLines.push(`[INFO] Basic. Step: ${k * 250}. Time Elapsed: ${k}.000 s. Mean Reward: ${k}.000. Std of Reward: 0.000. Training.${rate} Episodes: 1.`);
    }
    writer.info('Exported results/run/Basic/Basic-1000.onnx');
    expectedLines.push('[INFO] Exported results/run/Basic/Basic-1000.onnx');
    // Wraps onto exactly two rows, the second one short: it lands on the row of the second bar.
    await new Promise((resolve) => setTimeout(resolve, 30));
    writer.warning('w'.repeat(width));
    expectedLines.push(`[WARNING] ${'w'.repeat(width)}`);
    writer.close();

    expect(stream.text).toMatch(/\x1b\[/);
    const screen = renderScreen(stream.text, width).filter((row) => row !== '');
    const expectedRows = expectedLines.flatMap((line) => line.match(new RegExp(`.{1,${width}}`, 'g'))!);
    expect(screen.slice(0, expectedRows.length)).toEqual(expectedRows);
    const bars = screen.slice(expectedRows.length);
    expect(bars).toHaveLength(2);
    expect(bars[0]).toMatch(/^Basic  \|/);
    expect(bars[1]).toMatch(/^3DBall \|/);
    if (width === 200) {
      expect(bars[0]).toMatch(/^Basic  \|█{25}\| 100% \| 1000\/1000 steps \| ETA: /);
      expect(bars[1]).toMatch(/^3DBall \|█{13}░{12}\| {2}50% \| 2000\/4000 steps \| ETA: /);
    }
  });

  it('decides on bars from the stream and the environment', () => {
    expect(ProgressTerminal.isInteractive({ write: () => true, isTTY: true }, {})).toBe(true);
    expect(ProgressTerminal.isInteractive({ write: () => true, isTTY: false }, {})).toBe(false);
    expect(ProgressTerminal.isInteractive({ write: () => true }, {})).toBe(false);
    expect(ProgressTerminal.isInteractive({ write: () => true, isTTY: true }, { CI: 'true' })).toBe(false);
    expect(ProgressTerminal.isInteractive({ write: () => true, isTTY: true }, { TERM: 'dumb' })).toBe(false);
  });
});
