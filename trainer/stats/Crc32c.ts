/**
 * CRC-32C (Castagnoli), the checksum TFRecord framing uses.
 *
 * Hand-written on purpose: the npm candidates either need native binaries (`@node-rs/crc32`,
 * `sse4_crc32`, `fast-crc32c`'s fast path), pull in the AWS SDK's type packages
 * (`@aws-crypto/crc32c`), or are unmaintained; a table-driven CRC is a few lines and is pinned down
 * by the RFC 3720 test vectors in test/stats/Crc32c.test.ts. Speed is irrelevant here: the stats
 * writers checksum a few hundred bytes per summary.
 */

const CASTAGNOLI_REFLECTED = 0x82f63b78;

const TABLE: Uint32Array = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ CASTAGNOLI_REFLECTED : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

/** CRC-32C of `bytes` as an unsigned 32-bit integer. */
export function crc32c(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (let i = 0; i < bytes.length; i++) crc = TABLE[(crc ^ bytes[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/**
 * TFRecord's masked CRC: rotate right by 15 and add a constant, because a CRC of data that itself
 * contains CRCs is weak (TensorFlow's lib/hash/crc32c.h).
 */
export function maskedCrc32c(bytes: Uint8Array): number {
  const crc = crc32c(bytes);
  return ((((crc >>> 15) | (crc << 17)) >>> 0) + 0xa282ead8) >>> 0;
}
