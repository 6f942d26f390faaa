/**
 * Binary codec of the sync protocol: one msgpack map per WebSocket frame, typed arrays as
 * msgpackr's typed-array extension (0x74) so that Float32Array / Int32Array / Uint8Array arrive as
 * the same types (plain msgpack would turn them into lists or byte strings). PROTOCOL.md documents
 * the bytes for clients written in other languages.
 *
 * The encoder and decoder are our own (MsgpackWriter / MsgpackReader), wire-compatible with
 * msgpackr both ways: msgpackr spends about 0.5 us packing and 1.2 us unpacking each typed array,
 * which put a 32-agent steps message at ~45 us encode + decode against a 20 us budget, and its
 * encoder shares one module-wide slab between all its users.
 */
import type { Message } from './messages.js';
import { decodeMsgpack } from './MsgpackReader.js';
import { encodeMsgpack } from './MsgpackWriter.js';
import { ProtocolError } from './ProtocolError.js';
import { MAX_FRAME_BYTES } from './validate.js';

/**
 * Encodes a message into one binary frame. Each frame is a fresh, exactly-sized buffer: a frame
 * waiting in a WebSocket send queue is never overwritten by later encodes.
 */
export function encodeMessage(msg: Message): Uint8Array {
  return encodeMsgpack(msg);
}

/**
 * Decodes one frame (bytes from `ws`, or a browser WebSocket's ArrayBuffer). Anything that is not
 * exactly one msgpack value throws ProtocolError('malformed'); the result is `unknown` because
 * nothing from the wire is trusted before validation. Typed arrays come back as copies with their
 * own aligned memory, whatever the frame's byte offset.
 */
export function decodeFrame(bytes: Uint8Array | ArrayBuffer): unknown {
  let frame: Uint8Array;
  if (bytes instanceof Uint8Array) frame = bytes;
  else if (bytes instanceof ArrayBuffer) frame = new Uint8Array(bytes);
  else {
    throw new ProtocolError('malformed', `expected a binary frame (Uint8Array or ArrayBuffer), got ${typeof bytes}; send binary WebSocket frames, not text`);
  }
  if (frame.byteLength > MAX_FRAME_BYTES) {
    throw new ProtocolError('frame_too_large', `a frame holds at most ${MAX_FRAME_BYTES} bytes, got ${frame.byteLength}; send fewer agents per message`);
  }
  if (frame.byteLength === 0) throw new ProtocolError('malformed', 'expected one msgpack map, got an empty frame');
  return decodeMsgpack(frame);
}
