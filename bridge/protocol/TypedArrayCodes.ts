/**
 * msgpackr's typed-array extension, the one msgpack extension the protocol uses: ext type 0x74
 * ('t'), payload = one code byte naming the element type, then the array's bytes, little-endian.
 * The codes are msgpackr's (its `typedArrays` list order), so msgpackr peers read our frames.
 */

/** msgpack extension type of a typed array. */
export const TYPED_ARRAY_EXT = 0x74;

/** A typed array the codec can carry. */
export type WireTypedArray =
  | Int8Array
  | Uint8Array
  | Uint8ClampedArray
  | Int16Array
  | Uint16Array
  | Int32Array
  | Uint32Array
  | Float32Array
  | Float64Array
  | BigInt64Array
  | BigUint64Array;

/** The constructor of a wire typed array. */
export interface WireTypedArrayClass<T extends WireTypedArray = WireTypedArray> {
  new (buffer: ArrayBuffer, byteOffset?: number, length?: number): T;
  new (length: number): T;
  readonly BYTES_PER_ELEMENT: number;
  readonly name: string;
}

/** Element classes by code; the protocol itself uses 1 (Uint8Array), 5 (Int32Array) and 7 (Float32Array). */
export const TYPED_ARRAY_CLASSES: readonly WireTypedArrayClass[] = [
  Int8Array,
  Uint8Array,
  Uint8ClampedArray,
  Int16Array,
  Uint16Array,
  Int32Array,
  Uint32Array,
  Float32Array,
  Float64Array,
  BigInt64Array,
  BigUint64Array,
];

const CODES = new Map<unknown, number>(TYPED_ARRAY_CLASSES.map((c, i) => [c, i]));

/** The wire code of a typed array, -1 for anything else; subclasses (a Node Buffer) take their base class's code. */
export function typedArrayCode(value: ArrayBufferView): number {
  // The protocol's three types first: a Map lookup costs more than these comparisons.
  const type = value.constructor;
  if (type === Float32Array) return 7;
  if (type === Int32Array) return 5;
  if (type === Uint8Array) return 1;
  const code = CODES.get(type);
  if (code !== undefined) return code;
  for (let i = 0; i < TYPED_ARRAY_CLASSES.length; i++) if (value instanceof TYPED_ARRAY_CLASSES[i]!) return i;
  return -1;
}

// The payload is the array's memory as is, which is little-endian on every platform JS engines
// ship on; a big-endian host would silently corrupt every number, so refuse to run there.
if (new Uint8Array(Uint16Array.of(1).buffer)[0] !== 1) {
  throw new Error('three-rl-agents protocol: this host is big-endian; the wire format is little-endian and no byte swapping is implemented');
}
