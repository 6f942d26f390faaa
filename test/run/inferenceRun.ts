import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { RunOptions } from '../../trainer/config/schema.js';
import { runTraining } from '../../trainer/run/TrainingRun.js';
import { readStatsJsonl, type StatsLine } from './readStatsJsonl.js';

/**
 * Runs `options` (an --inference run of a trained run in `runDir`) until it has appended `count`
 * summaries of `behavior` past step `trainedSteps`, then stops it as Ctrl+C would; returns those summaries.
 */
export async function inferenceSummaries(options: RunOptions, runDir: string, behavior: string, trainedSteps: number, count: number): Promise<StatsLine[]> {
  const stop = new AbortController();
  const running = runTraining(options, { signal: stop.signal, pages: false });
  const past = () => readStatsJsonl(runDir, behavior).filter((l) => l.step > trainedSteps);
  const deadline = Date.now() + 300_000;
  let failed: unknown = null;
  running.catch((e: unknown) => (failed = e));
  while (past().length < count) {
    if (failed) throw failed;
    if (Date.now() > deadline) throw new Error(`--inference wrote ${past().length} of ${count} summaries past step ${trainedSteps} in 300 s`);
    await new Promise((r) => setTimeout(r, 200));
  }
  stop.abort();
  const result = await running;
  if (!((result.steps[behavior] ?? 0) > trainedSteps)) throw new Error(`--inference ended at step ${result.steps[behavior]}, not past ${trainedSteps}`);
  return past();
}

// Records that every invocation writes, inference too (as ML-Agents): the curves, the resolved
// config and the timers of the latest invocation.
const RUN_RECORDS = new Set(['stats.jsonl', 'configuration.yaml', 'timers.json']);

/**
 * Size and modification time of everything a training run saves: the policies at the run's root,
 * run_logs, and each behavior's checkpoints. Left out: the summaries (inference appends to them)
 * configuration.yaml and timers.json (RUN_RECORDS).
 */
export function savedRunFiles(runDir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (dir: string, prefix: string) => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      const s = statSync(path);
      if (s.isDirectory()) walk(path, `${prefix}${name}/`);
      else if (!RUN_RECORDS.has(name) && !name.startsWith('events.out.tfevents')) out[`${prefix}${name}`] = `${s.size}@${s.mtimeMs}`;
    }
  };
  walk(runDir, '');
  return out;
}
