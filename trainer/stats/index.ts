/** Training statistics: reporters, console lines and bars, TensorBoard event files, JSON lines. */
export { StatsReporter } from './StatsReporter.js';
export { StatsSummary, STATS_AGGREGATIONS, type StatsAggregation } from './StatsSummary.js';
export type { StatsWriter, StatsProperty } from './StatsWriter.js';
export { StatTags, rewardSignalTags } from './StatTags.js';
export { SummarySchedule } from './SummarySchedule.js';
export { ConsoleWriter, formatSummaryLine, type ConsoleWriterOptions, type SummaryLineInput } from './ConsoleWriter.js';
export { ProgressTerminal, type TerminalStream } from './ProgressTerminal.js';
export { TensorBoardWriter, type TensorBoardWriterOptions } from './TensorBoardWriter.js';
export { JsonlWriter, STATS_JSONL_FILE, type JsonlWriterOptions, type JsonlSummaryLine, type JsonlStat } from './JsonlWriter.js';
export { createDefaultStatsWriters, type DefaultStatsWriters } from './DefaultStatsWriters.js';
export { hyperparametersToText } from './HyperparameterText.js';
export { formatPythonFixed } from './PythonFixedFormat.js';
export { crc32c, maskedCrc32c } from './Crc32c.js';
export { encodeTfRecord, TfRecordWriter } from './TfRecordWriter.js';
export { encodeFileVersionEvent, encodeSummaryEvent, EVENT_FILE_VERSION, type SummaryValue } from './TensorBoardEvents.js';
export { buildHistogram, type HistogramData } from './TensorBoardHistogram.js';
