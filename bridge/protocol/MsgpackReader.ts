/**
 * msgpack decoder for frames from the wire. Reads every msgpack format, turns typed-array
 * extensions (0x74) into typed arrays and `bin` into a plain Uint8Array, and refuses anything else
 * (other extensions, non-string map keys, trailing bytes, lengths that run past the frame) with
 * ProtocolError('malformed'). A key repeated in one map keeps its last value, as in msgpackr.
 *
 * Arrays are copied out of the frame (the transport may reuse it, and its offsets are rarely
 * aligned) into one arena per frame, each at an offset aligned for its element type: allocating
 * an ArrayBuffer costs V8 about 0.5 us, more than parsing a whole 32-agent message, so it is done
 * once per frame rather than once per array.
 */
import { ProtocolError } from './ProtocolError.js';
import {
  TYPED_ARRAY_CLASSES,
  TYPED_ARRAY_EXT,
  type WireTypedArray,
  type WireTypedArrayClass,
} from './TypedArrayCodes.js';

// Deeper than any protocol message; a hostile frame of nested lists must not overflow the stack.
const MAX_DEPTH = 32;

const EMPTY = new Uint8Array(0);
let src: Uint8Array = EMPTY;
let pos = 0;
let end = 0;
let arena: Uint8Array | null = null;
let arenaUsed = 0;
const floatBytes = new DataView(new ArrayBuffer(8));
const utf8 = new TextDecoder('utf-8', { fatal: true });

// Unzeroed in Node: every arena byte handed out is written, and the rest is cleared on release.
const allocateArena: (size: number) => Uint8Array =
  typeof Buffer === 'function'
    ? (size) => {
        const b = Buffer.allocUnsafeSlow(size);
        return new Uint8Array(b.buffer, b.byteOffset, size);
      }
    : (size) => new Uint8Array(size);

/** Decodes exactly one msgpack value filling `bytes`; a Node Buffer is read as plain bytes. */
export function decodeMsgpack(bytes: Uint8Array): unknown {
  src = bytes;
  pos = 0;
  end = bytes.length;
  try {
    const value = read(0);
    if (pos !== end) fail(`one msgpack value ends at byte ${pos} but the frame has ${end} bytes; send one value per frame`);
    return value;
  } finally {
    // No stale process memory may be reachable through the arrays' shared buffer.
    if (arena !== null) arena.fill(0, arenaUsed);
    arena = null;
    src = EMPTY;
  }
}

function read(depth: number): unknown {
  need(1);
  const b = src[pos++]!;
  if (b < 0x80) return b;
  if (b >= 0xe0) return b - 0x100;
  if (b < 0x90) return readMap(b & 0x0f, depth);
  if (b < 0xa0) return readList(b & 0x0f, depth);
  if (b < 0xc0) return readString(b & 0x1f);
  switch (b) {
    case 0xc0:
      return null;
    case 0xc2:
      return false;
    case 0xc3:
      return true;
    case 0xc4:
      return readBin(readUint(1));
    case 0xc5:
      return readBin(readUint(2));
    case 0xc6:
      return readBin(readUint(4));
    case 0xc7:
      return readExt(readUint(1));
    case 0xc8:
      return readExt(readUint(2));
    case 0xc9:
      return readExt(readUint(4));
    case 0xca:
      return readFloat(4);
    case 0xcb:
      return readFloat(8);
    case 0xcc:
      return readUint(1);
    case 0xcd:
      return readUint(2);
    case 0xce:
      return readUint(4);
    case 0xcf:
      // Above 2^53 this rounds; validation refuses integers that are not safe.
      return readUint(4) * 0x100000000 + readUint(4);
    case 0xd0:
      return (readUint(1) << 24) >> 24;
    case 0xd1:
      return (readUint(2) << 16) >> 16;
    case 0xd2:
      return readUint(4) | 0;
    case 0xd3:
      return (readUint(4) | 0) * 0x100000000 + readUint(4);
    case 0xd4:
      return readExt(1);
    case 0xd5:
      return readExt(2);
    case 0xd6:
      return readExt(4);
    case 0xd7:
      return readExt(8);
    case 0xd8:
      return readExt(16);
    case 0xd9:
      return readString(readUint(1));
    case 0xda:
      return readString(readUint(2));
    case 0xdb:
      return readString(readUint(4));
    case 0xdc:
      return readList(readUint(2), depth);
    case 0xdd:
      return readList(readUint(4), depth);
    case 0xde:
      return readMap(readUint(2), depth);
    case 0xdf:
      return readMap(readUint(4), depth);
    default:
      return fail(`byte 0xc1 at ${pos - 1} is not a msgpack value`);
  }
}

function readMap(count: number, depth: number): Record<string, unknown> {
  if (depth >= MAX_DEPTH) fail(`maps and lists nest deeper than ${MAX_DEPTH} levels`);
  // Each entry takes at least 2 bytes: refuse impossible counts before looping over them.
  if (count * 2 > end - pos) fail(`a map of ${count} entries at byte ${pos} cannot fit in the ${end - pos} bytes left`);
  const map: Record<string, unknown> = {};
  for (let i = 0; i < count; i++) {
    const key = readKey();
    const value = read(depth + 1);
    // A plain assignment of '__proto__' would replace the prototype instead of adding a field.
    if (key === '__proto__') Object.defineProperty(map, key, { value, enumerable: true, writable: true, configurable: true });
    else map[key] = value;
  }
  return map;
}

function readKey(): string {
  need(1);
  const b = src[pos++]!;
  if (b >= 0xa0 && b < 0xc0) return readCachedKey(b & 0x1f);
  if (b === 0xd9) return readString(readUint(1));
  if (b === 0xda) return readString(readUint(2));
  if (b === 0xdb) return readString(readUint(4));
  return fail(`map key at byte ${pos - 1} is not a string (type byte 0x${b.toString(16)}); keys must be msgpack strings`);
}

// The same few dozen short keys arrive in every message; returning the string already built for
// the same bytes skips building it and V8's lookup of it as a property name.
const KEY_SLOTS = 512;
const KEY_MAX = 16;
const keyBytes = new Uint8Array(KEY_SLOTS * KEY_MAX);
const keyLengths = new Int8Array(KEY_SLOTS).fill(-1);
const keyStrings: string[] = new Array<string>(KEY_SLOTS).fill('');

function readCachedKey(length: number): string {
  if (length > KEY_MAX) return readString(length);
  need(length);
  let hash = length;
  for (let i = 0; i < length; i++) hash = Math.imul(hash ^ src[pos + i]!, 0x01000193);
  const slot = (hash >>> 0) & (KEY_SLOTS - 1);
  const at = slot * KEY_MAX;
  if (keyLengths[slot] === length) {
    let same = true;
    for (let i = 0; i < length && same; i++) same = keyBytes[at + i] === src[pos + i];
    if (same) {
      pos += length;
      return keyStrings[slot]!;
    }
  }
  const start = pos;
  const key = readString(length);
  keyBytes.set(src.subarray(start, start + length), at);
  keyLengths[slot] = length;
  keyStrings[slot] = key;
  return key;
}

function readList(count: number, depth: number): unknown[] {
  if (depth >= MAX_DEPTH) fail(`maps and lists nest deeper than ${MAX_DEPTH} levels`);
  if (count > end - pos) fail(`a list of ${count} values at byte ${pos} cannot fit in the ${end - pos} bytes left`);
  const list = new Array<unknown>(count);
  for (let i = 0; i < count; i++) list[i] = read(depth + 1);
  return list;
}

function readString(length: number): string {
  need(length);
  const start = pos;
  pos += length;
  // Names and short values are ASCII: building them by hand beats a TextDecoder call.
  if (length <= 32) {
    let s = '';
    for (let i = start; i < pos; i++) {
      const c = src[i]!;
      if (c >= 0x80) return decodeUtf8(start);
      s += String.fromCharCode(c);
    }
    return s;
  }
  return decodeUtf8(start);
}

function decodeUtf8(start: number): string {
  try {
    return utf8.decode(src.subarray(start, pos));
  } catch {
    return fail(`the string at byte ${start} is not valid UTF-8`);
  }
}

function readBin(length: number): Uint8Array {
  need(length);
  pos += length;
  return copyOut(Uint8Array, pos - length, length);
}

function readExt(length: number): unknown {
  need(1 + length);
  const type = src[pos]!;
  if (type !== TYPED_ARRAY_EXT) {
    fail(`msgpack extension type ${type} at byte ${pos} is not used by the protocol; arrays use extension 0x74 (typed arrays)`);
  }
  if (length < 1) fail(`typed array at byte ${pos} has no element code`);
  const code = src[pos + 1]!;
  const TypedArray = TYPED_ARRAY_CLASSES[code];
  if (TypedArray === undefined) fail(`typed array at byte ${pos} has element code ${code}; codes go from 0 to ${TYPED_ARRAY_CLASSES.length - 1}`);
  const byteLength = length - 1;
  if (byteLength % TypedArray.BYTES_PER_ELEMENT !== 0) {
    fail(`${TypedArray.name} at byte ${pos} holds ${byteLength} bytes, not a multiple of ${TypedArray.BYTES_PER_ELEMENT}`);
  }
  const start = pos + 2;
  pos += 1 + length;
  return copyOut(TypedArray, start, byteLength);
}

/** Copies `byteLength` bytes at `start` of the frame into the arena, aligned for `TypedArray`. */
function copyOut<T extends WireTypedArray>(TypedArray: WireTypedArrayClass<T>, start: number, byteLength: number): T {
  if (byteLength === 0) return new TypedArray(0);
  const align = TypedArray.BYTES_PER_ELEMENT;
  // What is left of the frame bounds the arrays still to come; alignment padding (< 4 bytes for the
  // protocol's types) fits in the headers they also leave behind, and +8 covers the first one.
  if (arena === null) {
    arena = allocateArena(end - start + 8);
    arenaUsed = 0;
  }
  const at = (arenaUsed + align - 1) & -align;
  if (at + byteLength > arena.length) {
    // Only 8-byte elements can outgrow the bound; they get their own memory.
    return new TypedArray(src.buffer.slice(src.byteOffset + start, src.byteOffset + start + byteLength) as ArrayBuffer);
  }
  for (let i = arenaUsed; i < at; i++) arena[i] = 0;
  arena.set(src.subarray(start, start + byteLength), at);
  arenaUsed = at + byteLength;
  return new TypedArray(arena.buffer as ArrayBuffer, arena.byteOffset + at, byteLength / align);
}

/** Big-endian unsigned integer of 1, 2 or 4 bytes. */
function readUint(bytes: 1 | 2 | 4): number {
  need(bytes);
  let v = 0;
  for (let i = 0; i < bytes; i++) v = v * 256 + src[pos++]!;
  return v;
}

function readFloat(bytes: 4 | 8): number {
  need(bytes);
  for (let i = 0; i < bytes; i++) floatBytes.setUint8(i, src[pos++]!);
  return bytes === 4 ? floatBytes.getFloat32(0) : floatBytes.getFloat64(0);
}

function need(n: number): void {
  if (n > end - pos) fail(`the frame ends at byte ${end} but ${n} more bytes are needed at byte ${pos}; the frame is truncated`);
}

function fail(reason: string): never {
  throw new ProtocolError('malformed', `expected one msgpack map, ${reason}`);
}
