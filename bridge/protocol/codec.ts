/**
 * Binary codec of the sync protocol: one msgpack map per WebSocket frame.
 * msgpackr's typed-array extension keeps Float32Array / Int32Array / Uint8Array as the same
 * types on both ends (plain msgpack would turn them into arrays or byte strings).
 */
import { Packr, Unpackr } from 'msgpackr';
import type { Message } from './messages.js';

// `moreTypes` enables msgpackr's typed-array extensions; structures are off so that any msgpack
// implementation with the same extension can talk to us (see PROTOCOL.md).
const packr = new Packr({ moreTypes: true, useRecords: false, structuredClone: false });
const unpackr = new Unpackr({ moreTypes: true, useRecords: false, mapsAsObjects: true });

/** Encodes a message into one binary frame. */
export function encodeMessage(msg: Message): Uint8Array {
  return packr.pack(msg);
}

/**
 * Decodes one frame. Throws on bytes that are not one msgpack value; the result is `unknown`
 * because nothing from the wire is trusted before validation.
 */
export function decodeFrame(bytes: Uint8Array): unknown {
  return unpackr.unpack(bytes);
}
