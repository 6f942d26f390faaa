/**
 * msgpack encoder for protocol messages: maps, lists, strings, numbers, booleans, nil and typed
 * arrays (extension 0x74, byte-compatible with msgpackr). It measures the value first and writes
 * into one exactly-sized buffer, so every frame owns its memory (safe to sit in a send queue,
 * never reused) and the large observation arrays are copied once.
 */
import { TYPED_ARRAY_EXT, typedArrayCode } from './TypedArrayCodes.js';

// Deeper than any protocol message; stops a cyclic object from overflowing the stack.
const MAX_DEPTH = 32;

const EMPTY = new Uint8Array(0);
let out: Uint8Array = EMPTY;
let pos = 0;
// Entry counts of the maps met while measuring (undefined fields are skipped), in the order the
// writer meets them again, so that it does not count every map twice.
const mapCounts: number[] = [];
let mapIndex = 0;
const float64 = new DataView(new ArrayBuffer(8));
const utf8 = new TextEncoder();

/** Encodes one value; throws (a programming error, not a protocol one) on values msgpack cannot carry here. */
export function encodeMsgpack(value: unknown): Uint8Array {
  mapCounts.length = 0;
  let size: number;
  try {
    size = sizeOf(value, 0);
  } catch (err) {
    if (err instanceof UnsupportedValue) {
      const path = err.path.join('').replace(/^\./, '') || 'the message';
      throw new Error(`encodeMessage: ${path} is ${err.what}; messages hold only maps, lists, strings, numbers, booleans, nil and typed arrays`);
    }
    throw err;
  }
  const frame = allocateFrame(size);
  out = frame;
  pos = 0;
  mapIndex = 0;
  try {
    write(value);
  } finally {
    out = EMPTY;
  }
  // Every byte must have been written: the frame memory is not zeroed.
  if (pos !== size) throw new Error(`encodeMessage: measured ${size} bytes but wrote ${pos}; the message changed while it was encoded`);
  return frame;
}

// Node's unzeroed (and, for small frames, pooled) allocation skips clearing memory that is
// overwritten anyway; the frame is a plain Uint8Array on both platforms.
const allocateFrame: (size: number) => Uint8Array =
  typeof Buffer === 'function'
    ? (size) => {
        const b = Buffer.allocUnsafe(size);
        return new Uint8Array(b.buffer, b.byteOffset, size);
      }
    : (size) => new Uint8Array(size);

// Thrown while measuring; each enclosing container adds its key, so the hot path builds no paths.
class UnsupportedValue extends Error {
  readonly path: string[] = [];
  constructor(readonly what: string) {
    super(what);
  }
}

function sizeOf(v: unknown, depth: number): number {
  if (v === null || v === undefined || typeof v === 'boolean') return 1;
  if (typeof v === 'number') return numberSize(v);
  if (typeof v === 'string') return stringSize(utf8Length(v));
  if (depth >= MAX_DEPTH) throw new UnsupportedValue(`nested deeper than ${MAX_DEPTH} levels (a cycle?)`);
  if (Array.isArray(v)) {
    let size = containerHeaderSize(v.length);
    for (let i = 0; i < v.length; i++) {
      try {
        size += sizeOf(v[i], depth + 1);
      } catch (err) {
        if (err instanceof UnsupportedValue) err.path.unshift(`[${i}]`);
        throw err;
      }
    }
    return size;
  }
  if (ArrayBuffer.isView(v)) {
    if (typedArrayCode(v) < 0) throw new UnsupportedValue(`a ${v.constructor.name}`);
    return extHeaderSize(v.byteLength + 1) + 1 + v.byteLength;
  }
  if (isPlainObject(v)) {
    const slot = mapCounts.length;
    mapCounts.push(0);
    let count = 0;
    let size = 0;
    for (const key in v) {
      const x = v[key];
      if (x === undefined) continue; // an absent optional field, as in JSON
      count++;
      try {
        size += stringSize(utf8Length(key)) + sizeOf(x, depth + 1);
      } catch (err) {
        if (err instanceof UnsupportedValue) err.path.unshift(`.${key}`);
        throw err;
      }
    }
    mapCounts[slot] = count;
    return containerHeaderSize(count) + size;
  }
  throw new UnsupportedValue(typeof v === 'object' ? `a ${v.constructor?.name ?? 'object'}` : `a ${typeof v}`);
}

function write(v: unknown): void {
  if (v === null || v === undefined) out[pos++] = 0xc0;
  else if (v === false) out[pos++] = 0xc2;
  else if (v === true) out[pos++] = 0xc3;
  else if (typeof v === 'number') writeNumber(v);
  else if (typeof v === 'string') writeString(v);
  else if (Array.isArray(v)) {
    writeContainerHeader(v.length, 0x90, 0xdc);
    for (let i = 0; i < v.length; i++) write(v[i]);
  } else if (ArrayBuffer.isView(v)) writeTypedArray(v);
  else {
    const o = v as Record<string, unknown>;
    writeContainerHeader(mapCounts[mapIndex++]!, 0x80, 0xde);
    for (const key in o) {
      const x = o[key];
      if (x === undefined) continue;
      writeString(key);
      write(x);
    }
  }
}

function numberSize(v: number): number {
  if (!Number.isSafeInteger(v)) return 9;
  if (v >= 0) return v < 0x80 ? 1 : v < 0x100 ? 2 : v < 0x10000 ? 3 : v < 0x100000000 ? 5 : 9;
  return v >= -32 ? 1 : v >= -0x80 ? 2 : v >= -0x8000 ? 3 : v >= -0x80000000 ? 5 : 9;
}

function writeNumber(v: number): void {
  if (!Number.isSafeInteger(v)) {
    out[pos++] = 0xcb;
    float64.setFloat64(0, v);
    for (let i = 0; i < 8; i++) out[pos++] = float64.getUint8(i);
  } else if (v >= 0) {
    if (v < 0x80) out[pos++] = v;
    else if (v < 0x100) {
      out[pos++] = 0xcc;
      out[pos++] = v;
    } else if (v < 0x10000) {
      out[pos++] = 0xcd;
      writeUint16(v);
    } else if (v < 0x100000000) {
      out[pos++] = 0xce;
      writeUint32(v);
    } else {
      out[pos++] = 0xcf;
      writeInt64(v);
    }
  } else if (v >= -32) out[pos++] = v & 0xff;
  else if (v >= -0x80) {
    out[pos++] = 0xd0;
    out[pos++] = v & 0xff;
  } else if (v >= -0x8000) {
    out[pos++] = 0xd1;
    writeUint16(v & 0xffff);
  } else if (v >= -0x80000000) {
    out[pos++] = 0xd2;
    writeUint32(v >>> 0);
  } else {
    out[pos++] = 0xd3;
    writeInt64(v);
  }
}

function writeUint16(v: number): void {
  out[pos++] = v >>> 8;
  out[pos++] = v & 0xff;
}

function writeUint32(v: number): void {
  out[pos++] = v >>> 24;
  out[pos++] = (v >>> 16) & 0xff;
  out[pos++] = (v >>> 8) & 0xff;
  out[pos++] = v & 0xff;
}

// Two's complement halves of a safe integer: floor division gives the high word, >>> 0 the low.
function writeInt64(v: number): void {
  writeUint32(Math.floor(v / 0x100000000) >>> 0);
  writeUint32(v >>> 0);
}

function utf8Length(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) n += 1;
    else if (c >= 0xd800 && c < 0xdc00 && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 2; // a surrogate pair: 2 UTF-16 units, 4 bytes
      i++;
    } else n += 2; // 3 bytes (a lone surrogate becomes U+FFFD, also 3 bytes)
  }
  return n;
}

function stringSize(bytes: number): number {
  return bytes + (bytes < 32 ? 1 : bytes < 0x100 ? 2 : bytes < 0x10000 ? 3 : 5);
}

function writeString(s: string): void {
  const n = utf8Length(s);
  if (n < 32) out[pos++] = 0xa0 | n;
  else if (n < 0x100) {
    out[pos++] = 0xd9;
    out[pos++] = n;
  } else if (n < 0x10000) {
    out[pos++] = 0xda;
    writeUint16(n);
  } else {
    out[pos++] = 0xdb;
    writeUint32(n);
  }
  if (n === s.length) {
    for (let i = 0; i < n; i++) out[pos + i] = s.charCodeAt(i);
  } else {
    utf8.encodeInto(s, out.subarray(pos, pos + n));
  }
  pos += n;
}

function containerHeaderSize(n: number): number {
  return n < 16 ? 1 : n < 0x10000 ? 3 : 5;
}

/** fix / 16-bit / 32-bit count header of a map (0x80, 0xde) or list (0x90, 0xdc). */
function writeContainerHeader(n: number, fix: number, code16: number): void {
  if (n < 16) out[pos++] = fix | n;
  else if (n < 0x10000) {
    out[pos++] = code16;
    writeUint16(n);
  } else {
    out[pos++] = code16 + 1;
    writeUint32(n);
  }
}

function extHeaderSize(payload: number): number {
  return payload < 0x100 ? 3 : payload < 0x10000 ? 4 : 6;
}

// ext8/16/32 chosen by payload size, as msgpackr does, so the bytes match msgpackr's.
function writeTypedArray(a: ArrayBufferView): void {
  const payload = a.byteLength + 1;
  if (payload < 0x100) {
    out[pos++] = 0xc7;
    out[pos++] = payload;
  } else if (payload < 0x10000) {
    out[pos++] = 0xc8;
    writeUint16(payload);
  } else {
    out[pos++] = 0xc9;
    writeUint32(payload);
  }
  out[pos++] = TYPED_ARRAY_EXT;
  out[pos++] = typedArrayCode(a);
  const n = a.byteLength;
  if (n === 0) return; // empty sets are common (no terminals this step); skip making a view
  out.set(a instanceof Uint8Array ? a : new Uint8Array(a.buffer, a.byteOffset, n), pos);
  pos += n;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  if (typeof v !== 'object' || v === null) return false;
  const proto = Object.getPrototypeOf(v);
  return proto === Object.prototype || proto === null;
}
