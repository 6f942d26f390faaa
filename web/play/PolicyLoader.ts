/**
 * Loads policies for the page with onnxruntime-web. The Vite build bundles ORT's WASM build and
 * copies its .wasm file next to the page scripts, so nothing is fetched from another site.
 */
import { OnnxPolicy } from '../../bridge/inference/OnnxPolicy.js';
import type { BehaviorSpec } from '../../bridge/spec/BehaviorSpec.js';

/** Where a page's model comes from: a URL on the page server, or a file the user dropped. */
export type PolicySource = { kind: 'url'; url: string; label: string } | { kind: 'file'; bytes: Uint8Array; label: string };

/** A cache key: the same URL or file is loaded once per page. */
export function policySourceKey(source: PolicySource): string {
  return source.kind === 'url' ? `url:${source.url}` : `file:${source.label}:${source.bytes.byteLength}`;
}

/**
 * Loads a policy and checks it against the behavior (the error lists both signatures when it does
 * not fit). One WASM thread: a page is not cross-origin isolated, and a small policy's batch is
 * faster on one thread than handed between several.
 */
export async function loadPagePolicy(source: PolicySource, behavior: BehaviorSpec, deterministic: boolean): Promise<OnnxPolicy> {
  const data = source.kind === 'url' ? source.url : source.bytes;
  return OnnxPolicy.load(data, { runtime: 'web', wasmThreads: 1, behavior, deterministic });
}
