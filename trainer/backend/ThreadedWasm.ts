import * as tf from '@tensorflow/tfjs';
import * as wasmBackend from '@tensorflow/tfjs-backend-wasm';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import { dirname, join } from 'node:path';

/**
 * Why this exists: @tensorflow/tfjs-backend-wasm ships a multi-threaded SIMD build (XNNPACK over
 * a pthread pool) but never uses it in Node: it spawns its pthread workers from blob: URLs, which
 * Node's Worker rejects (tfjs issue #3830), and it caps XNNPACK at logical cores / 2. On a 2-core
 * machine that halves the speed of the big matMuls of a PPO update. This module loads the same
 * threaded build with file paths instead: the worker script is written once to the temp folder,
 * and the binary is read from the package on disk (nothing is fetched).
 *
 * It leans on tfjs-backend-wasm 4.x internals (wasm-out/ files, the emscripten module API, the
 * BackendWasm constructor), so every failure is reported to the caller, which falls back to the
 * stock single-threaded backend.
 *
 * Costs: 8 pthread workers are started (the build's fixed pool), ~1 s of CPU at start-up, and
 * XNNPACK's pool threads spin briefly after each op, so small acting batches burn some extra CPU.
 */

const POOL_SIZE = 8; // the build's PTHREAD_POOL_SIZE: XNNPACK cannot use more threads than this
const INIT_TIMEOUT_MS = 30_000;

interface EmscriptenModule {
  cwrap(name: string, ret: string | null, args: string[]): (...a: number[]) => number;
  PThread?: { unusedWorkers: { unref(): void }[]; runningWorkers: { unref(): void }[] };
  tfjs?: unknown;
}

/** Number of XNNPACK threads of the 'wasm' backend when it was made by this module, else 1. */
export let threadedWasmThreads = 1;

/** Threads worth using on this machine: its logical cores, at most the build's pool of 8. */
export function defaultWasmThreads(): number {
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, Math.min(POOL_SIZE, cores));
}

function packageFiles(): { factory: string; worker: string; binary: string } {
  const require = createRequire(import.meta.url);
  const root = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
  return {
    factory: join(root, 'wasm-out', 'tfjs-backend-wasm-threaded-simd.js'),
    worker: join(root, 'wasm-out', 'tfjs-backend-wasm-threaded-simd.worker.js'),
    binary: join(root, 'dist', 'tfjs-backend-wasm-threaded-simd.wasm'),
  };
}

/** Writes the pthread worker script where Node's Worker can load it (atomically, shared by processes). */
function writeWorkerScript(workerModule: string): string {
  const require = createRequire(import.meta.url);
  const { wasmWorkerContents } = require(workerModule) as { wasmWorkerContents: string };
  // The package keeps the script in a template literal, which turned its "\n" escapes into real
  // newlines; tfjs escapes them again before making its blob, and so do we.
  const script = wasmWorkerContents.replace(/\n/g, '\\n');
  const dir = join(os.tmpdir(), 'three-rl-agents');
  const path = join(dir, `tfjs-backend-wasm-${wasmBackend.version_wasm}-threaded-simd.worker.cjs`);
  mkdirSync(dir, { recursive: true });
  let current: string | null = null;
  try {
    current = readFileSync(path, 'utf8');
  } catch {
    current = null;
  }
  if (current !== script) {
    const tmp = `${path}.${process.pid}.tmp`;
    writeFileSync(tmp, script);
    renameSync(tmp, path);
  }
  return path;
}

async function createThreadedBackend(threads: number): Promise<tf.KernelBackend> {
  const files = packageFiles();
  const workerPath = writeWorkerScript(files.worker);
  const require = createRequire(import.meta.url);
  const factory = require(files.factory) as (config: object) => Promise<EmscriptenModule>;
  // The binary sizes its pool as logical cores / 2 (it assumes hyper-threading); it reads the
  // core count once while starting, so report twice the cores until the module is ready.
  const realCpus = os.cpus;
  const cores = realCpus();
  (os as { cpus: () => os.CpuInfo[] }).cpus = () => [...cores, ...cores];
  let module: EmscriptenModule;
  try {
    const ready = factory({
      locateFile: (file: string) => (file.endsWith('.worker.js') ? workerPath : files.binary),
      mainScriptUrlOrBlob: files.factory,
    });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`threaded WASM did not start within ${INIT_TIMEOUT_MS / 1000} s`)), INIT_TIMEOUT_MS);
    });
    try {
      module = await Promise.race([ready, timeout]);
    } finally {
      clearTimeout(timer);
    }
  } finally {
    (os as { cpus: () => os.CpuInfo[] }).cpus = realCpus;
  }
  // The same bridge tfjs-backend-wasm's own init() builds.
  module.tfjs = {
    init: module.cwrap('init', null, []),
    initWithThreadsCount: module.cwrap('init_with_threads_count', null, ['number']),
    getThreadsCount: module.cwrap('get_threads_count', 'number', []),
    registerTensor: module.cwrap('register_tensor', null, ['number', 'number', 'number']),
    disposeData: module.cwrap('dispose_data', null, ['number']),
    dispose: module.cwrap('dispose', null, []),
  };
  wasmBackend.setThreadsCount(threads);
  const backend = new wasmBackend.BackendWasm(module as unknown as ConstructorParameters<typeof wasmBackend.BackendWasm>[0]);
  // Idle and pool workers must not keep the process alive once the trainer is done.
  const pool = module.PThread;
  if (pool) for (const w of [...pool.unusedWorkers, ...pool.runningWorkers]) w.unref();
  threadedWasmThreads = wasmBackend.getThreadsCount();
  return backend;
}

/**
 * Makes tfjs' 'wasm' backend the threaded SIMD build with `threads` XNNPACK threads. Only
 * possible before 'wasm' is first initialised. Returns a function that puts the stock
 * (single-threaded) registration back, for when initialising the threaded one fails.
 */
/** True once tfjs has created the 'wasm' backend (threads can no longer be chosen). */
export function wasmBackendStarted(): boolean {
  // Not tf.findBackend: it starts a registered backend that has not started yet (asynchronously
  // for WASM), so checking with it races the threaded registration below.
  return (tf.engine() as unknown as { registry: Record<string, unknown> }).registry.wasm !== undefined;
}

export function registerThreadedWasm(threads: number): () => void {
  if (!Number.isInteger(threads) || threads < 2) throw new Error(`registerThreadedWasm: threads must be an integer >= 2, got ${threads}`);
  if (wasmBackendStarted()) throw new Error('registerThreadedWasm: the wasm backend is already initialised; threads must be chosen before its first use');
  const stock = tf.findBackendFactory('wasm');
  if (!stock) throw new Error('registerThreadedWasm: @tensorflow/tfjs-backend-wasm is not loaded');
  tf.removeBackend('wasm');
  tf.registerBackend('wasm', () => createThreadedBackend(Math.min(threads, POOL_SIZE)), 2);
  return () => {
    tf.removeBackend('wasm');
    tf.registerBackend('wasm', stock, 2);
    threadedWasmThreads = 1;
  };
}
