import { describeArgument } from '../errors/describeArgument.js';

/**
 * Custom statistics a game reports to the trainer, as ML-Agents' `StatsRecorder`: the values of a
 * key are averaged between two reports, and the trainer averages the reports into each summary
 * (TensorBoard, stats.jsonl, the live plots), under the key as the tag.
 *
 * The host that runs the game (the headless game process, a game page) makes one recorder, gives
 * it to `GameModule.create` as `GameOptions.stats` and to the `Sync`, which sends what was
 * recorded with each `steps` message in train mode.
 */
export class StatsRecorder {
  private readonly values = new Map<string, { sum: number; count: number }>();

  /** Adds one value of `key` (e.g. `add('Pyramids/Switch Pressed', 1)`); the trainer sees the average. */
  add(key: string, value: number): void {
    if (typeof key !== 'string' || key.length === 0) {
      throw new Error(`StatsRecorder.add: key must be a non-empty string such as 'Game/Score', got ${describeArgument(key)}`);
    }
    if (typeof value !== 'number' || !Number.isFinite(value)) {
      throw new Error(`StatsRecorder.add('${key}'): value must be a finite number, got ${describeArgument(value)}`);
    }
    const s = this.values.get(key);
    if (s) {
      s.sum += value;
      s.count++;
    } else {
      this.values.set(key, { sum: value, count: 1 });
    }
  }

  /** The average of each key since the last call (null when nothing was recorded), and a fresh start. */
  takeAverages(): Record<string, number> | null {
    if (this.values.size === 0) return null;
    const out: Record<string, number> = {};
    for (const [key, s] of this.values) out[key] = s.sum / s.count;
    this.values.clear();
    return out;
  }
}
