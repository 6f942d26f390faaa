import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** One summary line of stats.jsonl. */
export interface StatsLine {
  step: number;
  stats: Record<string, { mean: number; count: number } | undefined>;
}

/** The summaries a run wrote for a behavior. */
export function readStatsJsonl(runDir: string, behavior: string): StatsLine[] {
  return readFileSync(join(runDir, behavior, 'stats.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as StatsLine);
}
