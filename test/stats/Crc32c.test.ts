import { describe, expect, it } from 'vitest';
import { crc32c, maskedCrc32c } from '../../trainer/stats/Crc32c.js';
import { encodeTfRecord } from '../../trainer/stats/TfRecordWriter.js';

/** Bit-at-a-time CRC-32C, written independently of the table version it checks. */
function referenceCrc32c(bytes: Uint8Array): number {
  let crc = ~0 >>> 0;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = (crc >>> 1) ^ (0x82f63b78 & -(crc & 1));
  }
  return ~crc >>> 0;
}

describe('crc32c', () => {
  it('matches the standard check value and the RFC 3720 (iSCSI) vectors', () => {
    expect(crc32c(new TextEncoder().encode('123456789'))).toBe(0xe3069283);
    expect(crc32c(new Uint8Array(0))).toBe(0);
    expect(crc32c(new Uint8Array(32))).toBe(0x8a9136aa);
    expect(crc32c(new Uint8Array(32).fill(0xff))).toBe(0x62a8ab43);
    expect(crc32c(Uint8Array.from({ length: 32 }, (_, i) => i))).toBe(0x46dd794e);
    expect(crc32c(Uint8Array.from({ length: 32 }, (_, i) => 31 - i))).toBe(0x113fdb5c);
  });

  it('agrees with a bitwise reference on pseudo-random data of many lengths', () => {
    let seed = 12345;
    for (let length = 0; length < 300; length += 7) {
      const bytes = Uint8Array.from({ length }, () => {
        seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
        return seed >>> 24;
      });
      expect(crc32c(bytes)).toBe(referenceCrc32c(bytes));
    }
  });

  it('masks as TensorFlow: rotate right 15, add 0xa282ead8', () => {
    const data = new TextEncoder().encode('123456789');
    const crc = 0xe3069283;
    expect(maskedCrc32c(data)).toBe(((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) >>> 0);
    // Known masked value of the empty string: TensorFlow's mask of crc 0 is the constant itself.
    expect(maskedCrc32c(new Uint8Array(0))).toBe(0xa282ead8);
  });
});

describe('encodeTfRecord', () => {
  it('frames data as length, masked crc of length, data, masked crc of data', () => {
    const data = new TextEncoder().encode('hello');
    const record = encodeTfRecord(data);
    expect(record.length).toBe(8 + 4 + 5 + 4);
    const view = new DataView(record.buffer, record.byteOffset, record.byteLength);
    expect(view.getBigUint64(0, true)).toBe(5n);
    expect(view.getUint32(8, true)).toBe(maskedCrc32c(record.subarray(0, 8)));
    expect(new TextDecoder().decode(record.subarray(12, 17))).toBe('hello');
    expect(view.getUint32(17, true)).toBe(maskedCrc32c(data));
  });
});
