import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hyperparametersToText } from '../../trainer/stats/HyperparameterText.js';
import { StatsReporter } from '../../trainer/stats/StatsReporter.js';
import { StatTags } from '../../trainer/stats/StatTags.js';
import { TensorBoardWriter } from '../../trainer/stats/TensorBoardWriter.js';

// ---- An event-file reader written independently of the writer: its own CRC, its own protobuf
// ---- wire decoder, field numbers from TensorFlow's event.proto / summary.proto.

function crc32cBitwise(bytes: Uint8Array): number {
  let crc = ~0 >>> 0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0x82f63b78 & -(crc & 1));
  }
  return ~crc >>> 0;
}

function masked(bytes: Uint8Array): number {
  const crc = crc32cBitwise(bytes);
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) >>> 0;
}

function readTfRecords(file: Buffer): Buffer[] {
  const records: Buffer[] = [];
  let offset = 0;
  while (offset < file.length) {
    if (offset + 12 > file.length) throw new Error(`truncated header at ${offset}`);
    const length = Number(file.readBigUInt64LE(offset));
    if (file.readUInt32LE(offset + 8) !== masked(file.subarray(offset, offset + 8))) throw new Error(`bad length crc at ${offset}`);
    const data = file.subarray(offset + 12, offset + 12 + length);
    if (data.length !== length || offset + 16 + length > file.length) throw new Error(`truncated record at ${offset}`);
    if (file.readUInt32LE(offset + 12 + length) !== masked(data)) throw new Error(`bad data crc at ${offset}`);
    records.push(data);
    offset += 16 + length;
  }
  return records;
}

type WireValue = { wire: 0; value: bigint } | { wire: 1 | 2 | 5; value: Buffer };

function decodeFields(buf: Buffer): Map<number, WireValue[]> {
  const fields = new Map<number, WireValue[]>();
  let pos = 0;
  const varint = (): bigint => {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      const byte = buf[pos++]!;
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) return result;
      shift += 7n;
    }
  };
  while (pos < buf.length) {
    const key = Number(varint());
    const field = key >>> 3;
    const wire = key & 7;
    let entry: WireValue;
    if (wire === 0) entry = { wire, value: varint() };
    else if (wire === 1) entry = { wire, value: buf.subarray(pos, (pos += 8)) };
    else if (wire === 5) entry = { wire, value: buf.subarray(pos, (pos += 4)) };
    else if (wire === 2) {
      const length = Number(varint());
      entry = { wire, value: buf.subarray(pos, (pos += length)) };
    } else throw new Error(`unexpected wire type ${wire}`);
    fields.set(field, [...(fields.get(field) ?? []), entry]);
  }
  return fields;
}

const one = (f: Map<number, WireValue[]>, n: number) => f.get(n)?.[0];
const bytesOf = (f: Map<number, WireValue[]>, n: number) => one(f, n)?.value as Buffer | undefined;
const doubleOf = (f: Map<number, WireValue[]>, n: number) => bytesOf(f, n)?.readDoubleLE(0) ?? 0;
const packedDoubles = (b: Buffer | undefined) => (b ? Array.from({ length: b.length / 8 }, (_, i) => b.readDoubleLE(i * 8)) : []);

interface DecodedValue {
  tag: string;
  simpleValue?: number;
  histo?: { min: number; max: number; num: number; sum: number; sumSquares: number; bucketLimit: number[]; bucket: number[] };
  pluginName?: string;
  tensor?: { dtype: number; dims: number[]; strings: string[] };
}

interface DecodedEvent {
  wallTime: number;
  step: number;
  fileVersion?: string;
  values?: DecodedValue[];
}

function decodeEvent(data: Buffer): DecodedEvent {
  const f = decodeFields(data);
  const event: DecodedEvent = { wallTime: doubleOf(f, 1), step: Number((one(f, 2)?.value as bigint | undefined) ?? 0n) };
  if (f.has(3)) event.fileVersion = bytesOf(f, 3)!.toString('utf8');
  if (f.has(5)) {
    const summary = decodeFields(bytesOf(f, 5)!);
    event.values = (summary.get(1) ?? []).map(({ value }) => {
      const v = decodeFields(value as Buffer);
      const decoded: DecodedValue = { tag: bytesOf(v, 1)?.toString('utf8') ?? '' };
      if (v.has(2)) decoded.simpleValue = bytesOf(v, 2)!.readFloatLE(0);
      if (v.has(5)) {
        const h = decodeFields(bytesOf(v, 5)!);
        decoded.histo = {
          min: doubleOf(h, 1),
          max: doubleOf(h, 2),
          num: doubleOf(h, 3),
          sum: doubleOf(h, 4),
          sumSquares: doubleOf(h, 5),
          bucketLimit: packedDoubles(bytesOf(h, 6)),
          bucket: packedDoubles(bytesOf(h, 7)),
        };
      }
      if (v.has(9)) {
        const pluginData = decodeFields(bytesOf(decodeFields(bytesOf(v, 9)!), 1)!);
        decoded.pluginName = bytesOf(pluginData, 1)?.toString('utf8');
      }
      if (v.has(8)) {
        const t = decodeFields(bytesOf(v, 8)!);
        const shape = decodeFields(bytesOf(t, 2)!);
        decoded.tensor = {
          dtype: Number(one(t, 1)!.value as bigint),
          dims: (shape.get(2) ?? []).map(({ value }) => Number(one(decodeFields(value as Buffer), 1)!.value as bigint)),
          strings: (t.get(8) ?? []).map(({ value }) => (value as Buffer).toString('utf8')),
        };
      }
      return decoded;
    });
  }
  return event;
}

function readEvents(path: string): DecodedEvent[] {
  return readTfRecords(readFileSync(path)).map(decodeEvent);
}

// ---- Tests

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tb-writer-'));
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

describe('TensorBoardWriter', () => {
  it('writes event files that a TFRecord + Event reader parses back to the same tags, steps and values', () => {
    let clock = 1_700_000_000_123;
    const tb = new TensorBoardWriter(dir, { now: () => clock, host: 'testhost' });
    const reporter = new StatsReporter('3DBall', [tb]);
    for (const r of [1, 2, 4]) reporter.add(StatTags.cumulativeReward, r);
    reporter.add(StatTags.episodeLength, 100);
    reporter.set(StatTags.learningRate, 3e-4);
    reporter.add('Game/Targets Hit', 2, 'sum');
    reporter.add('Game/Targets Hit', 5, 'sum');
    reporter.add(StatTags.isTraining, 1);
    reporter.write(10_000);
    clock += 5000;
    reporter.add(StatTags.cumulativeReward, -0.5);
    reporter.add(StatTags.valueLoss, NaN);
    reporter.write(20_000);

    const files = readdirSync(join(dir, '3DBall'));
    expect(files).toHaveLength(1);
    expect(files[0]).toMatch(/^events\.out\.tfevents\.1700000000\.testhost\.\d+\.\d+$/);
    expect(tb.fileOf('3DBall')).toBe(join(dir, '3DBall', files[0]!));

    // Read before close: every record must already be in the file for a live TensorBoard.
    const events = readEvents(join(dir, '3DBall', files[0]!));
    expect(events[0]).toEqual({ wallTime: 1_700_000_000.123, step: 0, fileVersion: 'brain.Event:2' });
    const scalars = events.slice(1).map((e) => {
      expect(e.values).toHaveLength(1);
      return [e.step, e.values![0]!.tag, e.values![0]!.simpleValue, e.wallTime];
    });
    expect(scalars).toEqual([
      [10_000, 'Environment/Cumulative Reward', Math.fround(7 / 3), 1_700_000_000.123],
      [10_000, 'Environment/Episode Length', 100, 1_700_000_000.123],
      [10_000, 'Policy/Learning Rate', Math.fround(3e-4), 1_700_000_000.123],
      [10_000, 'Game/Targets Hit', 7, 1_700_000_000.123],
      // "Is Training" is hidden, as ML-Agents' learn.py hides it.
      [20_000, 'Environment/Cumulative Reward', -0.5, 1_700_000_005.123],
      [20_000, 'Losses/Value Loss', NaN, 1_700_000_005.123],
    ]);
    tb.close();
  });

  it('writes histogram stats as a scalar plus a <key>_hist histogram', () => {
    const tb = new TensorBoardWriter(dir, { host: 'h' });
    const reporter = new StatsReporter('SoccerTwos', [tb]);
    for (const v of [1, -1, 1, 0.5]) reporter.add(StatTags.groupCumulativeReward, v, 'histogram');
    reporter.write(5000);
    const events = readEvents(tb.fileOf('SoccerTwos')!);
    expect(events.map((e) => e.values?.[0]?.tag)).toEqual([undefined, 'Environment/Group Cumulative Reward', 'Environment/Group Cumulative Reward_hist']);
    expect(events[1]!.values![0]!.simpleValue).toBe(0.375);
    const histo = events[2]!.values![0]!.histo!;
    expect(histo).toMatchObject({ min: -1, max: 1, num: 4, sum: 1.5, sumSquares: 3.25 });
    expect(histo.bucket.reduce((a, b) => a + b, 0)).toBe(4);
    expect(histo.bucketLimit).toHaveLength(histo.bucket.length);
    expect(events[2]!.step).toBe(5000);
    tb.close();
  });

  it('writes the hyperparameters as a text summary, as ML-Agents add_text("Hyperparameters")', () => {
    const tb = new TensorBoardWriter(dir, { host: 'h' });
    const settings = { trainer_type: 'ppo', hyperparameters: { batch_size: 64, learning_rate: 0.0003 } };
    new StatsReporter('Basic', [tb]).addProperty({ type: 'hyperparameters', value: settings });
    const [, text] = readEvents(tb.fileOf('Basic')!);
    expect(text!.step).toBe(0);
    expect(text!.values).toEqual([
      {
        tag: 'Hyperparameters/text_summary',
        pluginName: 'text',
        tensor: { dtype: 7, dims: [1], strings: [hyperparametersToText(settings)] },
      },
    ]);
    tb.close();
  });

  it('keeps one folder per behavior and a new file per writer (resume), or clears old files', () => {
    const first = new TensorBoardWriter(dir, { host: 'h' });
    new StatsReporter('A', [first]).write(1);
    new StatsReporter('B', [first]).write(1);
    first.close();
    expect(readdirSync(dir).sort()).toEqual(['A', 'B']);

    const resumed = new TensorBoardWriter(dir, { host: 'h' });
    const reporter = new StatsReporter('A', [resumed]);
    reporter.add('x', 1);
    reporter.write(2);
    resumed.close();
    const afterResume = readdirSync(join(dir, 'A'));
    expect(afterResume).toHaveLength(2);

    writeFileSync(join(dir, 'A', 'notes.txt'), 'kept');
    const fresh = new TensorBoardWriter(dir, { host: 'h', clearPastData: true });
    new StatsReporter('A', [fresh]).write(0);
    fresh.close();
    const afterClear = readdirSync(join(dir, 'A'));
    expect(afterClear.filter((n) => n.startsWith('events.out'))).toHaveLength(1);
    expect(afterClear).toContain('notes.txt');
    expect(afterResume).not.toContain(afterClear.find((n) => n.startsWith('events.out')));
  });

  it('the reader rejects a corrupted file (its checks can fail)', () => {
    const tb = new TensorBoardWriter(dir, { host: 'h' });
    const reporter = new StatsReporter('A', [tb]);
    reporter.add('x', 1);
    reporter.write(1);
    tb.close();
    const path = join(dir, 'A', readdirSync(join(dir, 'A'))[0]!);
    const bytes = readFileSync(path);
    bytes[bytes.length - 6] ^= 0x01;
    expect(() => readTfRecords(bytes)).toThrow(/bad data crc/);
  });

  it('rejects behavior names that are not folder names', () => {
    const tb = new TensorBoardWriter(dir);
    expect(() => new StatsReporter('../evil', [tb]).write(1)).toThrow(/behavior name "..\/evil" cannot be a folder name/);
    expect(() => new TensorBoardWriter('')).toThrow(/baseDir is empty/);
  });
});
