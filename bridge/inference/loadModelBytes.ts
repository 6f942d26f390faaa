import { describeArgument } from '../errors/describeArgument.js';
import { isNodeEnvironment } from './OnnxRuntime.js';

/** Where a model comes from: a file path (Node) or URL, or its bytes. */
export type ModelSource = string | URL | Uint8Array | ArrayBuffer;

const URL_SCHEME = /^(https?|blob|data):/i;

/** The bytes of a model file or URL; bytes pass through. */
export async function loadModelBytes(source: ModelSource): Promise<Uint8Array> {
  if (source instanceof Uint8Array) return source;
  if (source instanceof ArrayBuffer) return new Uint8Array(source);
  const isUrl = source instanceof URL;
  if (typeof source !== 'string' && !isUrl) {
    throw new Error(`OnnxPolicy.load: expected a file path, a URL or the model's bytes (Uint8Array / ArrayBuffer), got ${describeArgument(source)}`);
  }
  const text = String(source);
  const fileUrl = text.startsWith('file:');
  if (isNodeEnvironment() && (fileUrl || (!isUrl && !URL_SCHEME.test(text)))) {
    // A variable specifier keeps browser bundlers from resolving Node's fs.
    const specifier: string = 'node:fs/promises';
    const fs = (await import(/* @vite-ignore */ /* webpackIgnore: true */ specifier)) as typeof import('node:fs/promises');
    try {
      return new Uint8Array(await fs.readFile(fileUrl ? new URL(text) : text));
    } catch (e) {
      throw new Error(`OnnxPolicy.load: cannot read the model file ${text}: ${(e as Error).message}`);
    }
  }
  let response: Response;
  try {
    response = await fetch(text);
  } catch (e) {
    throw new Error(`OnnxPolicy.load: cannot fetch the model at ${text}: ${(e as Error).message}`);
  }
  if (!response.ok) throw new Error(`OnnxPolicy.load: fetching the model at ${text} failed with HTTP ${response.status} ${response.statusText}`);
  return new Uint8Array(await response.arrayBuffer());
}
