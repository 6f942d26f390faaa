import { renameSync, writeFileSync } from 'node:fs';

/** Writes a file through a temporary name and a rename, so readers never see a torn file. */
export function atomicWrite(path: string, data: Uint8Array | string): void {
  const tmp = `${path}.tmp-${process.pid}`;
  writeFileSync(tmp, data);
  renameSync(tmp, path);
}
