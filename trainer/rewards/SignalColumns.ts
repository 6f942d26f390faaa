import type { RewardSignal, RewardSignalColumn } from './RewardSignal.js';

/**
 * The update-buffer columns the signals declare, each once: signals may share a column (two
 * wanting next observations) when they declare it alike. Throws when a name is one of the
 * trainer's own columns (`reserved`) or is declared twice with different types or widths.
 */
export function signalColumns(signals: readonly RewardSignal[], reserved: readonly string[]): RewardSignalColumn[] {
  const taken = new Set(reserved);
  const byName = new Map<string, { column: RewardSignalColumn; signal: string }>();
  for (const signal of signals) {
    for (const column of signal.columns ?? []) {
      if (taken.has(column.name)) {
        throw new Error(`reward signal '${signal.name}' declares the column '${column.name}', which the trainer already stores; give it another name`);
      }
      if (!Number.isInteger(column.width) || column.width < 0) {
        throw new Error(`reward signal '${signal.name}' column '${column.name}': width must be an integer >= 0, got ${column.width}`);
      }
      const prior = byName.get(column.name);
      if (prior && (prior.column.ctor !== column.ctor || prior.column.width !== column.width)) {
        throw new Error(
          `reward signals '${prior.signal}' and '${signal.name}' both declare the column '${column.name}' but as ${prior.column.ctor.name} x ${prior.column.width} and ${column.ctor.name} x ${column.width}; rename one`,
        );
      }
      if (!prior) byName.set(column.name, { column, signal: signal.name });
    }
  }
  return [...byName.values()].map((c) => c.column);
}
