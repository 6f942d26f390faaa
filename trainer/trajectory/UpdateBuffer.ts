import type { SeededRandom } from '../../bridge/random/SeededRandom.js';

type Column = Float32Array | Int32Array | Uint8Array;
type ColumnCtor = Float32ArrayConstructor | Int32ArrayConstructor | Uint8ArrayConstructor;

/** An UpdateBuffer's rows as plain arrays (structured-clonable), for a learner thread. */
export interface UpdateBufferTransfer {
  rows: number;
  columns: { name: string; width: number; data: Column }[];
}

/**
 * Columns of processed experience waiting for a policy update (ML-Agents' update buffer).
 * Each column has a fixed row width; rows are appended per trajectory, shuffled together and
 * cut into minibatches.
 */
export class UpdateBuffer {
  private readonly columns = new Map<string, { ctor: ColumnCtor; width: number; data: Column; }>();
  private rows = 0;
  private capacity = 0;

  /** Declares a column before the first append. */
  define(name: string, ctor: ColumnCtor, width: number): void {
    if (this.rows > 0) throw new Error(`UpdateBuffer: column '${name}' declared after rows were added`);
    this.columns.set(name, { ctor, width, data: new ctor(0) });
  }

  /** Adds (or replaces) a column computed over the rows already in the buffer, n x width values. */
  setColumn(name: string, width: number, data: Float32Array): void {
    if (!Number.isInteger(width) || width < 1 || data.length !== this.rows * width) {
      throw new Error(`UpdateBuffer.setColumn: column '${name}' has ${data.length} values, expected ${this.rows} rows x ${width}`);
    }
    const col = new Float32Array(this.capacity * width);
    col.set(data);
    this.columns.set(name, { ctor: Float32Array, width, data: col });
  }

  /** A new, empty buffer with the same columns (threaded trainers fill it while this one trains). */
  emptyCopy(): UpdateBuffer {
    const copy = new UpdateBuffer();
    for (const [name, col] of this.columns) copy.define(name, col.ctor, col.width);
    return copy;
  }

  get length(): number {
    return this.rows;
  }

  /** Appends `n` rows; every declared column must be given with n x width values. */
  append(n: number, values: Record<string, Column>): void {
    this.ensureCapacity(this.rows + n);
    for (const [name, col] of this.columns) {
      const v = values[name];
      if (!v) throw new Error(`UpdateBuffer.append: column '${name}' missing`);
      if (v.length !== n * col.width) {
        throw new Error(`UpdateBuffer.append: column '${name}' has ${v.length} values, expected ${n} x ${col.width}`);
      }
      col.data.set(v as never, this.rows * col.width);
    }
    this.rows += n;
  }

  /** Shuffles the rows of all columns with one permutation. */
  shuffle(rng: SeededRandom): void {
    const perm = new Int32Array(this.rows);
    for (let i = 0; i < this.rows; i++) perm[i] = i;
    for (let i = this.rows - 1; i > 0; i--) {
      const j = rng.int(i + 1);
      const t = perm[i]!;
      perm[i] = perm[j]!;
      perm[j] = t;
    }
    for (const col of this.columns.values()) {
      const src = col.data;
      const dst = new col.ctor(src.length);
      const w = col.width;
      for (let i = 0; i < this.rows; i++) dst.set(src.subarray(perm[i]! * w, perm[i]! * w + w) as never, i * w);
      col.data = dst;
    }
  }

  /** Rows [start, end) of every column (views, valid until the buffer changes). */
  slice(start: number, end: number): Record<string, Column> {
    const out: Record<string, Column> = {};
    for (const [name, col] of this.columns) out[name] = col.data.subarray(start * col.width, end * col.width);
    return out;
  }

  /** Normalises a one-wide float column to zero mean and unit std over all rows (advantages). */
  normalizeColumn(name: string): void {
    const col = this.columns.get(name);
    if (!col || col.width !== 1) throw new Error(`UpdateBuffer.normalizeColumn: '${name}' is not a one-wide column`);
    const d = col.data as Float32Array;
    let mean = 0;
    for (let i = 0; i < this.rows; i++) mean += d[i]!;
    mean /= Math.max(1, this.rows);
    let v = 0;
    for (let i = 0; i < this.rows; i++) v += (d[i]! - mean) ** 2;
    const std = Math.sqrt(v / Math.max(1, this.rows));
    // 1e-10 as ML-Agents: a constant column stays finite.
    for (let i = 0; i < this.rows; i++) d[i] = (d[i]! - mean) / (std + 1e-10);
  }

  /** The filled rows of every column as fresh arrays, for another thread (transfer their buffers). */
  toTransfer(): UpdateBufferTransfer {
    const columns: UpdateBufferTransfer['columns'] = [];
    for (const [name, col] of this.columns) columns.push({ name, width: col.width, data: col.data.slice(0, this.rows * col.width) });
    return { rows: this.rows, columns };
  }

  /** A buffer holding what `toTransfer` gave (the arrays are used as they are). */
  static fromTransfer(t: UpdateBufferTransfer): UpdateBuffer {
    const buffer = new UpdateBuffer();
    for (const c of t.columns) {
      if (!Number.isInteger(c.width) || c.width < 0 || c.data.length !== t.rows * c.width) {
        throw new Error(`UpdateBuffer.fromTransfer: column '${c.name}' holds ${c.data.length} values, expected ${t.rows} rows x ${c.width}`);
      }
      buffer.columns.set(c.name, { ctor: c.data.constructor as ColumnCtor, width: c.width, data: c.data });
    }
    buffer.rows = t.rows;
    buffer.capacity = t.rows;
    return buffer;
  }

  /** Empties the buffer, keeping its columns and memory. */
  clear(): void {
    this.rows = 0;
  }

  private ensureCapacity(rows: number): void {
    if (rows <= this.capacity) return;
    const cap = Math.max(rows, this.capacity * 2, 256);
    for (const col of this.columns.values()) {
      const grown = new col.ctor(cap * col.width);
      grown.set(col.data.subarray(0, this.rows * col.width) as never);
      col.data = grown;
    }
    this.capacity = cap;
  }
}
