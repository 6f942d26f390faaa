import { ConsoleWriter, type ConsoleWriterOptions } from './ConsoleWriter.js';
import { JsonlWriter } from './JsonlWriter.js';
import { TensorBoardWriter } from './TensorBoardWriter.js';

/** The writers every training run uses, by kind, plus all of them as one list for StatsReporters. */
export interface DefaultStatsWriters {
  tensorBoard: TensorBoardWriter;
  jsonl: JsonlWriter;
  console: ConsoleWriter;
  all: [TensorBoardWriter, JsonlWriter, ConsoleWriter];
}

/**
 * TensorBoard event files and stats.jsonl under `runDir` (results/<run-id>), plus the console, as
 * ML-Agents' learn.py sets up its writers: a run that does not resume starts its files afresh.
 */
export function createDefaultStatsWriters(
  runDir: string,
  options: { resume: boolean; console?: ConsoleWriterOptions },
): DefaultStatsWriters {
  const tensorBoard = new TensorBoardWriter(runDir, { clearPastData: !options.resume });
  const jsonl = new JsonlWriter(runDir, { clearPastData: !options.resume });
  const console = new ConsoleWriter(options.console);
  return { tensorBoard, jsonl, console, all: [tensorBoard, jsonl, console] };
}
