/**
 * Picks the ONNX Runtime package for the environment. Both packages expose the same
 * onnxruntime-common API (InferenceSession, Tensor); onnxruntime-node is a native addon that
 * must never reach a browser bundle, so it is imported through a specifier bundlers do not follow.
 */
import type * as OrtWeb from 'onnxruntime-web';

/** The part of an onnxruntime package OnnxPolicy uses (identical in onnxruntime-node and -web). */
export type OrtModule = Pick<typeof OrtWeb, 'InferenceSession' | 'Tensor'>;

/** Which package runs the model: 'auto' is onnxruntime-node in Node and onnxruntime-web (WASM) elsewhere. */
export type OnnxRuntimeChoice = 'auto' | 'node' | 'web';

/** A loaded runtime and its name. */
export interface LoadedRuntime {
  name: 'node' | 'web';
  ort: OrtModule;
}

/** Options of the WASM runtime. */
export interface WebRuntimeOptions {
  /** WASM threads; default 1 in Node (no cross-origin isolation to need), ORT's own default in browsers. */
  wasmThreads?: number;
}

/** True in Node (not in browsers, web workers or Deno's browser mode). */
export function isNodeEnvironment(): boolean {
  const proc = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof proc?.versions?.node === 'string' && typeof (globalThis as { window?: unknown }).window === 'undefined';
}

/** Loads onnxruntime-node or onnxruntime-web (see OnnxRuntimeChoice). */
export async function loadOnnxRuntime(choice: OnnxRuntimeChoice = 'auto', options: WebRuntimeOptions = {}): Promise<LoadedRuntime> {
  if (choice !== 'auto' && choice !== 'node' && choice !== 'web') {
    throw new Error(`OnnxPolicy runtime: expected 'auto', 'node' or 'web', got ${JSON.stringify(choice)}`);
  }
  const node = isNodeEnvironment();
  const name = choice === 'auto' ? (node ? 'node' : 'web') : choice;
  if (name === 'node') {
    if (!node) throw new Error("OnnxPolicy runtime 'node': onnxruntime-node runs in Node only; use 'web' (or 'auto') in a browser");
    // A variable specifier: bundlers leave it alone, so a browser build never pulls the native addon.
    const specifier: string = 'onnxruntime-node';
    const ort = (await import(/* @vite-ignore */ /* webpackIgnore: true */ specifier)) as OrtModule;
    return { name, ort };
  }
  const web = await import('onnxruntime-web');
  const threads = options.wasmThreads ?? (node ? 1 : undefined);
  if (threads !== undefined) {
    if (!Number.isInteger(threads) || threads < 1) throw new Error(`OnnxPolicy wasmThreads: expected an integer >= 1, got ${threads}`);
    web.env.wasm.numThreads = threads;
  }
  return { name, ort: web };
}
