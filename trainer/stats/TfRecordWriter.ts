import { closeSync, openSync, writeSync } from 'node:fs';
import { maskedCrc32c } from './Crc32c.js';

/**
 * Encodes one TFRecord: uint64 little-endian length, masked CRC-32C of those 8 bytes, the data,
 * masked CRC-32C of the data (TensorFlow's core/lib/io/record_writer.cc).
 */
export function encodeTfRecord(data: Uint8Array): Uint8Array {
  const record = new Uint8Array(8 + 4 + data.length + 4);
  const view = new DataView(record.buffer);
  view.setBigUint64(0, BigInt(data.length), true);
  view.setUint32(8, maskedCrc32c(record.subarray(0, 8)), true);
  record.set(data, 12);
  view.setUint32(12 + data.length, maskedCrc32c(data), true);
  return record;
}

/** Appends TFRecords to a file, each one reaching the OS before `write` returns. */
export class TfRecordWriter {
  private fd: number | null;

  /** Opens `path` for appending (created if missing). */
  constructor(readonly path: string) {
    this.fd = openSync(path, 'a');
  }

  /**
   * Writes one record synchronously: TensorBoard tails the file while training runs, so a record
   * must never sit in a user-space buffer, and a crash must not leave half a summary behind.
   */
  write(data: Uint8Array): void {
    if (this.fd === null) throw new Error(`TfRecordWriter: ${this.path} is closed; create a new writer to write more records`);
    const record = encodeTfRecord(data);
    let offset = 0;
    while (offset < record.length) offset += writeSync(this.fd, record, offset, record.length - offset);
  }

  /** Closes the file; later writes throw. */
  close(): void {
    if (this.fd === null) return;
    closeSync(this.fd);
    this.fd = null;
  }
}
