import * as tf from '@tensorflow/tfjs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { installWasmKernelOverrides } from './WasmKernelOverrides.js';
import { installWasmMatMulGradient } from './WasmMatMulGradient.js';

/** The `--backend` choices, as the CLI spells them. */
export type BackendChoice = 'auto' | 'tensorflow' | 'wasm' | 'cpu';

/** A backend tfjs runs on: what `auto` resolves to, and a choice a learner thread can repeat. */
export type ActiveBackend = Exclude<BackendChoice, 'auto'>;

/** Every accepted `--backend` value. */
export const BACKEND_CHOICES: readonly BackendChoice[] = ['auto', 'tensorflow', 'wasm', 'cpu'];

// Native TensorFlow bindings in order of preference. Neither is a dependency: their install
// downloads libtensorflow, so users add one themselves when they want it.
const NATIVE_PACKAGES = ['@tensorflow/tfjs-node-gpu', '@tensorflow/tfjs-node'] as const;

const INSTALL_NATIVE_HINT =
  'install one with `npm install @tensorflow/tfjs-node` (or @tensorflow/tfjs-node-gpu with CUDA), ' +
  'matching @tensorflow/tfjs ' + tf.version.tfjs + ', or choose --backend wasm';

let wasmPathsSet = false;

/** Why loading a native package failed, for the error message. */
async function loadNativeTensorflow(): Promise<{ loaded: string | null; failures: string[] }> {
  const failures: string[] = [];
  for (const name of NATIVE_PACKAGES) {
    try {
      // A variable specifier keeps bundlers and the type checker from requiring the package.
      const specifier: string = name;
      await import(specifier);
    } catch (e) {
      failures.push(`${name}: ${firstLine(e)}`);
      continue;
    }
    // The package registers 'tensorflow' on the tfjs-core instance it imported; if that is not
    // ours (a second copy of tfjs-core in node_modules), our tensors could never use it.
    if (tf.findBackendFactory('tensorflow') === null) {
      failures.push(`${name}: loaded, but registered its backend on another copy of @tensorflow/tfjs-core (version mismatch with @tensorflow/tfjs ${tf.version.tfjs})`);
      continue;
    }
    return { loaded: name, failures };
  }
  return { loaded: null, failures };
}

function firstLine(e: unknown): string {
  const text = e instanceof Error ? e.message : String(e);
  return text.split('\n')[0] ?? text;
}

/** Loads the WASM backend from the package's own dist folder on disk (never a CDN). */
async function prepareWasm(): Promise<void> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  if (!wasmPathsSet) {
    const require = createRequire(import.meta.url);
    const dist = join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + '/';
    // tfjs itself never uses WASM threads in Node, so this is the single-threaded SIMD binary
    // (SIMD is detected as usual); ThreadedWasm provides the threaded one.
    wasm.setWasmPaths(dist);
    wasmPathsSet = true;
  }
  installWasmMatMulGradient();
  installWasmKernelOverrides();
}

/** Initialises 'wasm', threaded when asked and possible; false when WASM cannot start at all. */
async function startWasm(threads: number): Promise<boolean> {
  await prepareWasm();
  const { registerThreadedWasm, wasmBackendStarted } = await import('./ThreadedWasm.js');
  if (threads > 1 && !wasmBackendStarted()) {
    const restoreStock = registerThreadedWasm(threads);
    if (await trySetBackend('wasm')) return true;
    restoreStock();
  }
  return trySetBackend('wasm');
}

/** How selectBackend sets up the backends that have options. */
export interface BackendOptions {
  /**
   * XNNPACK threads of the WASM backend: 'auto' uses every logical core (at most 8), 1 the stock
   * single-threaded build. Only honoured when WASM is first initialised in the process.
   */
  wasmThreads?: number | 'auto';
}

async function resolveWasmThreads(value: number | 'auto' | undefined): Promise<number> {
  if (value === undefined || value === 1) return 1;
  if (value === 'auto') return (await import('./ThreadedWasm.js')).defaultWasmThreads();
  if (!Number.isInteger(value) || value < 1) {
    throw new Error(`wasmThreads: expected 'auto' or an integer >= 1, got ${JSON.stringify(value)}`);
  }
  return value;
}

async function trySetBackend(name: string): Promise<boolean> {
  try {
    return (await tf.setBackend(name)) && tf.getBackend() === name;
  } catch {
    return false;
  }
}

/**
 * Makes tfjs use the requested backend and returns the name of the one in use:
 * `auto` tries tfjs-node-gpu, tfjs-node, WASM, then the JS CPU backend; an explicit choice
 * that cannot be loaded throws with the way to install it. `options.wasmThreads` ('auto' for
 * training runs) starts WASM multi-threaded; the default is the stock single-threaded build.
 */
export async function selectBackend(choice: BackendChoice, options: BackendOptions = {}): Promise<ActiveBackend> {
  if (!BACKEND_CHOICES.includes(choice)) {
    throw new Error(`backend: expected one of ${BACKEND_CHOICES.join(', ')}, got ${JSON.stringify(choice)}`);
  }
  const wasmThreads = await resolveWasmThreads(options.wasmThreads);
  if (choice === 'tensorflow' || choice === 'auto') {
    const native = await loadNativeTensorflow();
    if (native.loaded && (await trySetBackend('tensorflow'))) return 'tensorflow';
    if (choice === 'tensorflow') {
      const why = native.loaded ? [`${native.loaded}: loaded, but its backend failed to initialise`] : native.failures;
      throw new Error(`backend tensorflow is not available (${why.join('; ')}); ${INSTALL_NATIVE_HINT}`);
    }
  }
  if (choice === 'wasm' || choice === 'auto') {
    let reason = 'its backend failed to initialise';
    try {
      if (await startWasm(wasmThreads)) return 'wasm';
    } catch (e) {
      reason = firstLine(e);
    }
    if (choice === 'wasm') {
      throw new Error(`backend wasm is not available (${reason}); reinstall it with \`npm install @tensorflow/tfjs-backend-wasm@${tf.version.tfjs}\`, or choose --backend cpu`);
    }
  }
  if (await trySetBackend('cpu')) return 'cpu';
  throw new Error('backend cpu failed to initialise; reinstall @tensorflow/tfjs with `npm install @tensorflow/tfjs`');
}

/** What decides how many WASM threads a training run's learner gets. */
export interface TrainingThreadPlan {
  /** Logical cores of this machine. */
  cores: number;
  /** Headless game processes started on this machine by the run (0 without --env). */
  localGames: number;
  /** True when any behavior updates with `threaded: true` (on a learner thread, while the games keep playing). */
  threadedUpdates: boolean;
}

/**
 * WASM threads for a training run's learner. XNNPACK's threads spin while they wait for each
 * other, so when game processes run at the same time as the learner and all cores are taken, each
 * op can wait out a scheduler time slice: Pyramids with 2 game processes on 2 cores ran 15x slower
 * (28 against 465 steps/s). Games run alongside the learner with several game processes (one plays
 * while the trainer serves another) or with threaded updates; the learner then gets the cores the
 * games leave, at least one. A single game process that waits for every action leaves it all.
 * With `threaded: true` the updates run on a learner thread (LearnerThread) and this thread gets one.
 */
export function trainingWasmThreads(plan: TrainingThreadPlan): number {
  // With threaded updates this thread only acts (small batches) while the learner thread, with
  // one WASM thread of its own, updates: one each leaves every other core to the games.
  if (plan.threadedUpdates) return 1;
  const concurrent = plan.localGames > 1 || (plan.localGames > 0 && plan.threadedUpdates);
  // ThreadedWasm caps this at the build's pool size.
  return Math.max(1, concurrent ? plan.cores - plan.localGames : plan.cores);
}
