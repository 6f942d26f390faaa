import { Packr, Unpackr } from 'msgpackr';
import { describe, expect, it } from 'vitest';
import { decodeFrame, encodeMessage } from '../../bridge/protocol/codec.js';
import { errorReply } from '../../bridge/protocol/ErrorReply.js';
import type { Message } from '../../bridge/protocol/messages.js';
import { ProtocolError } from '../../bridge/protocol/ProtocolError.js';
import { MAX_FRAME_BYTES, validateGameMessage, validateHello } from '../../bridge/protocol/validate.js';
import { SeededRandom } from '../../bridge/random/SeededRandom.js';
import { HandMsgpackWriter } from './HandMsgpackWriter.js';
import {
  actionsMessage,
  basicSpec,
  helloMessage,
  mixedSpec,
  soccerSpec,
  specMap,
  stepsMessage,
  welcomeMessage,
} from './sampleMessages.js';

const hex = (b: Uint8Array) => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString('hex');

/** Every typed array of a decoded message must keep its exact constructor, not only its values. */
function expectSameTypes(got: unknown, want: unknown, path = 'msg'): void {
  if (ArrayBuffer.isView(want)) {
    expect((got as object)?.constructor, path).toBe(want.constructor);
    const bytes = (v: ArrayBufferView) => Buffer.from(v.buffer, v.byteOffset, v.byteLength);
    expect(bytes(got as ArrayBufferView).equals(bytes(want)), path).toBe(true);
  } else if (want !== null && typeof want === 'object') {
    expect(Array.isArray(got), path).toBe(Array.isArray(want));
    expect(Object.keys(got as object).sort(), path).toEqual(Object.keys(want).sort());
    for (const [k, v] of Object.entries(want)) expectSameTypes((got as Record<string, unknown>)[k], v, `${path}.${k}`);
  } else {
    expect(got, path).toEqual(want);
  }
}

function malformed(bytes: Uint8Array): string {
  try {
    decodeFrame(bytes);
  } catch (err) {
    expect(err).toBeInstanceOf(ProtocolError);
    expect((err as ProtocolError).code).toBe('malformed');
    return (err as ProtocolError).message;
  }
  throw new Error(`decoded ${hex(bytes)} without an error`);
}

const everyMessage: Message[] = [
  helloMessage(basicSpec, mixedSpec),
  { ...helloMessage(basicSpec), token: 'secret' },
  welcomeMessage(),
  stepsMessage(mixedSpec, [0, 1, 2], [1]),
  { ...stepsMessage(basicSpec, [4], []), stats: { 'Custom/Hits': 2.5 } },
  actionsMessage(mixedSpec, Int32Array.of(0, 1, 2)),
  { type: 'reset' },
  { type: 'reset', parameters: { gravity: -9.81 } },
  { type: 'parameters', parameters: { difficulty: 3 } },
  { type: 'close', reason: 'training done' },
  { type: 'error', code: 'invalid_field', message: 'expected x, got y', field: 'behaviors.Basic' },
];

describe('codec', () => {
  it('round-trips every message type with the same typed-array types', () => {
    for (const msg of everyMessage) expectSameTypes(decodeFrame(encodeMessage(msg)), msg, msg.type);
  });

  it('writes typed arrays as the ext 0x74 bytes PROTOCOL.md documents', () => {
    // {"a": Float32Array [1.5]} -> fixmap 1, fixstr "a", ext8 len 5 type 0x74, code 7, 00 00 c0 3f
    expect(hex(encodeMessage({ a: Float32Array.of(1.5) } as never))).toBe('81a161c70574070000c03f');
    expect(hex(encodeMessage({ a: Int32Array.of(-1) } as never))).toBe('81a161c7057405ffffffff');
    expect(hex(encodeMessage({ a: Uint8Array.of(1, 0) } as never))).toBe('81a161c70374010100');
    // 64 floats = 256 bytes + code byte: ext16; 16384 floats: ext32.
    expect(hex(encodeMessage({ a: new Float32Array(64) } as never)).slice(0, 16)).toBe('81a161c801017407');
    expect(hex(encodeMessage({ a: new Float32Array(16384) } as never)).slice(0, 20)).toBe('81a161c9000100017407');
    // The typed-array bytes are the same as msgpackr's (it only picks a wider map header).
    const packr = new Packr({ moreTypes: true, useRecords: false });
    expect(hex(packr.pack({ a: Float32Array.of(1.5) }))).toBe('de0001a161c70574070000c03f');
  });

  it('decodes frames written by hand from PROTOCOL.md, with Uint8Array as ext or bin', () => {
    const specs = specMap(mixedSpec);
    for (const uint8AsBin of [false, true]) {
      const hello = decodeFrame(HandMsgpackWriter.encode(helloMessage(mixedSpec), uint8AsBin));
      expect(validateHello(hello).behaviors[0]).toEqual(mixedSpec);
      const steps = stepsMessage(mixedSpec, [0, 1, 2], [1]);
      const decoded = validateGameMessage(decodeFrame(HandMsgpackWriter.encode(steps, uint8AsBin)), specs);
      expectSameTypes(decoded, steps);
    }
  });

  it('decodes msgpack bin as a plain Uint8Array, never a Node Buffer', () => {
    const frame = new Packr({ useRecords: false }).pack({ masks: Buffer.from([1, 0, 1]) });
    const masks = (decodeFrame(frame) as { masks: Uint8Array }).masks;
    expect(masks.constructor).toBe(Uint8Array);
    expect(Array.from(masks)).toEqual([1, 0, 1]);
    // A copy, so that holding the masks does not pin (or alias) the frame.
    frame[frame.length - 1] = 7;
    expect(masks[2]).toBe(1);
  });

  it('decodes a frame at any byte offset into aligned typed arrays', () => {
    const msg = stepsMessage(soccerSpec, [0, 1, 2, 3], [2]);
    const frame = encodeMessage(msg);
    for (const offset of [1, 2, 3, 5]) {
      const host = new Uint8Array(frame.length + offset + 3);
      host.set(frame, offset);
      for (const input of [host.subarray(offset, offset + frame.length), Buffer.from(host.buffer, offset, frame.length)]) {
        const got = decodeFrame(input) as typeof msg;
        const obs = got.behaviors.SoccerTwos!.decisions.obs[0]!;
        expect(obs.byteOffset % 4).toBe(0);
        expectSameTypes(got, msg);
      }
    }
    // A browser WebSocket hands over an ArrayBuffer holding exactly the frame.
    expectSameTypes(decodeFrame(new Uint8Array(frame).buffer), msg);
  });

  it('never overwrites a frame that is still queued while later ones are encoded', () => {
    const first = encodeMessage(stepsMessage(soccerSpec, [0, 1, 2]));
    // Uint8Array.from copies; Buffer#slice would only make another view of the same bytes.
    const snapshot = Uint8Array.from(first);
    const other = new Packr({ useRecords: false });
    // Small and large frames, so that msgpackr both appends to its slab and moves to new ones.
    for (let i = 0; i < 300; i++) {
      const agents = Array.from({ length: (i * 7) % 40 }, (_, k) => k);
      encodeMessage(stepsMessage(soccerSpec, agents));
      encodeMessage(actionsMessage(soccerSpec, Int32Array.from(agents)));
      other.pack({ n: i, pad: 'x'.repeat(i) });
    }
    expect(hex(first)).toBe(hex(snapshot));
    expectSameTypes(decodeFrame(first), stepsMessage(soccerSpec, [0, 1, 2]));
  });

  it('turns every undecodable frame into ProtocolError malformed', () => {
    const valid = encodeMessage(stepsMessage(mixedSpec, [0, 1]));
    malformed(new Uint8Array(0));
    malformed(valid.subarray(0, valid.length - 5));
    expect(malformed(Uint8Array.from([...valid, 0x01]))).toContain('one value per frame');
    malformed(Uint8Array.of(0xc7, 0x08, 0x74, 0x07, 1, 2, 3, 4, 5, 6, 7)); // 7 bytes are not whole floats
    malformed(Uint8Array.of(0xc7, 0x02, 0x74, 0x63, 0)); // no typed array has code 0x63
    malformed(Uint8Array.of(0xdd, 0x7f, 0xff, 0xff, 0xff)); // array header longer than the frame
    expect(malformed(Uint8Array.of(0xd6, 0xff, 0, 0, 0, 1))).toContain('extension type 255'); // a msgpack timestamp
    expect(malformed(Uint8Array.of(0x81, 0x01, 0x02))).toContain('not a string'); // {1: 2}
    expect(malformed(Uint8Array.of(0xa2, 0xc3, 0x28))).toContain('UTF-8');
    expect(malformed(Uint8Array.of(0xc1))).toContain('0xc1');
    expect(malformed(new Uint8Array(200).fill(0x91))).toContain('deeper');
    expect(() => decodeFrame('{"type":"hello"}' as never)).toThrow(/binary WebSocket frames/);
    // Random bytes either fail to decode or decode to something validation refuses; never a crash of another kind.
    let seed = 7;
    for (let i = 0; i < 200; i++) {
      const junk = Uint8Array.from({ length: 1 + (i % 40) }, () => (seed = (seed * 1103515245 + 12345) >>> 0) >>> 24);
      try {
        validateGameMessage(decodeFrame(junk), specMap(mixedSpec));
      } catch (err) {
        expect(err).toBeInstanceOf(ProtocolError);
      }
    }
  });

  it('refuses a frame over MAX_FRAME_BYTES', () => {
    try {
      decodeFrame(new Uint8Array(MAX_FRAME_BYTES + 1));
      throw new Error('no error');
    } catch (err) {
      expect((err as ProtocolError).code).toBe('frame_too_large');
    }
  });

  it('decodes 64-bit integers from other engines as numbers', () => {
    // seed as uint64 (0xcf) and areas as int64 (0xd3), as a C# or GDScript writer may send them.
    const frame = Uint8Array.of(0x82, 0xa4, ...Buffer.from('seed'), 0xcf, 0, 0, 0, 0, 0, 0, 1, 0, 0xa5, ...Buffer.from('areas'), 0xd3, 0, 0, 0, 0, 0, 0, 0, 4);
    expect(decodeFrame(frame)).toEqual({ seed: 256, areas: 4 });
  });
});

describe('codec and msgpackr', () => {
  const packr = new Packr({ moreTypes: true, useRecords: false, structuredClone: false });
  const unpackr = new Unpackr({ moreTypes: true, useRecords: false, mapsAsObjects: true, int64AsType: 'number' });

  it('reads what msgpackr writes and msgpackr reads what it writes', () => {
    for (const msg of [...everyMessage, stepsMessage(soccerSpec, [0, 1, 2, 3], [1])]) {
      expectSameTypes(decodeFrame(packr.pack(msg)), msg, `msgpackr -> us: ${msg.type}`);
      expectSameTypes(unpackr.unpack(encodeMessage(msg)), msg, `us -> msgpackr: ${msg.type}`);
    }
  });

  it('round-trips random values of every msgpack shape in all three directions', () => {
    const rng = new SeededRandom(11);
    const pick = <T>(xs: readonly T[]): T => xs[rng.nextUint32() % xs.length]!;
    const numbers = [0, 1, 127, 128, 255, 256, 65535, 65536, 2 ** 32 - 1, 2 ** 32, 2 ** 53 - 1, -1, -32, -33, -128, -129, -32768, -32769, -(2 ** 31), -(2 ** 31) - 1, -(2 ** 53) + 1, 0.5, -1e-7, 3.4e38, 1e300];
    const strings = ['', 'a', 'type', 'é', 'ça va ☃', '𝄞 clef', 'x'.repeat(31), 'y'.repeat(32), 'z'.repeat(300), 'w'.repeat(70000)];
    const typed = [Int8Array, Uint8Array, Int16Array, Uint16Array, Int32Array, Uint32Array, Float32Array, Float64Array];
    const value = (depth: number): unknown => {
      const kind = rng.nextUint32() % (depth > 2 ? 5 : 7);
      if (kind === 0) return pick(numbers);
      if (kind === 1) return pick(strings);
      if (kind === 2) return pick([null, true, false]);
      if (kind === 3 || kind === 4) {
        const Type = pick(typed);
        const length = pick([0, 1, 3, 64, 70, 17000]);
        return new Type(length).map((_, i) => (i * 37 + 11) % 100);
      }
      if (kind === 5) return Array.from({ length: rng.nextUint32() % 18 }, () => value(depth + 1));
      return Object.fromEntries(Array.from({ length: rng.nextUint32() % 18 }, (_, i) => [`${pick(strings).slice(0, 8)}${i}`, value(depth + 1)]));
    };
    for (let i = 0; i < 60; i++) {
      const v = { root: value(0) };
      expectSameTypes(decodeFrame(encodeMessage(v as never)), v, `ours ${i}`);
      expectSameTypes(decodeFrame(packr.pack(v)), v, `msgpackr -> us ${i}`);
      expectSameTypes(unpackr.unpack(encodeMessage(v as never)), v, `us -> msgpackr ${i}`);
    }
  });
});

describe('decoded typed arrays', () => {
  it('are independent of the frame and of each other, and expose no stale memory', () => {
    const msg = { type: 'steps', a: Float32Array.of(1, 2, 3), b: Uint8Array.of(1, 2, 3), c: Int32Array.of(7, 8), note: 'n'.repeat(500) };
    const frame = encodeMessage(msg as never);
    const got = decodeFrame(frame) as typeof msg;
    frame.fill(0xee);
    got.b[0] = 99;
    expect(Array.from(got.a)).toEqual([1, 2, 3]);
    expect(Array.from(got.c)).toEqual([7, 8]);
    expect(got.a.byteOffset % 4).toBe(0);
    expect(got.c.byteOffset % 4).toBe(0);
    // The arrays share one buffer; everything in it that is not theirs must be zero.
    const shared = new Uint8Array(got.a.buffer);
    const owned = new Set<number>();
    for (const x of [got.a, got.b, got.c]) for (let i = 0; i < x.byteLength; i++) owned.add(x.byteOffset + i);
    for (let i = 0; i < shared.length; i++) if (!owned.has(i)) expect(shared[i], `byte ${i}`).toBe(0);
  });

  it('keep 8-byte element arrays aligned even when padding outgrows the arena', () => {
    const msg = { type: 'x', list: Array.from({ length: 40 }, (_, i) => (i % 2 ? Float64Array.of(i, -i) : Uint8Array.of(i))) };
    const got = decodeFrame(encodeMessage(msg as never)) as typeof msg;
    expectSameTypes(got, msg);
    for (const x of got.list) expect(x.byteOffset % x.BYTES_PER_ELEMENT).toBe(0);
  });
});

describe('errorReply', () => {
  it('carries a ProtocolError code and field, anything else is internal', () => {
    expect(errorReply(new ProtocolError('invalid_field', 'expected x', 'behaviors.A'))).toEqual({
      type: 'error',
      code: 'invalid_field',
      message: 'behaviors.A: expected x',
      field: 'behaviors.A',
    });
    expect(errorReply(new TypeError('boom'))).toEqual({ type: 'error', code: 'internal', message: 'boom' });
  });
});
