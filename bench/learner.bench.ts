/**
 * Learner throughput: PPO updates of a SoccerTwos-size network (obs 264 + 72 = 336 -> 512 -> 512,
 * discrete [3, 3, 3], separate actor and critic, one reward signal) with SoccerTwos.yaml's
 * buffer_size 20480, batch_size 2048, num_epoch 3, on each available backend.
 *
 * Learner transitions/s is ML-Agents' view of it: buffer_size transitions consumed by one policy
 * update (num_epoch passes over the buffer) divided by that update's wall time.
 *
 * Each configuration runs in its own process (the WASM thread count is fixed when WASM starts):
 * WASM with every core (threaded build), WASM single-threaded, the JS CPU backend, and
 * tfjs-node when it is installed.
 *
 *   npm run bench:learner [-- --configs wasm:auto,wasm:1,cpu,tensorflow --minibatches 30 --cpu-minibatches 2]
 */
import * as tf from '@tensorflow/tfjs';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { BehaviorSpec } from '../bridge/spec/BehaviorSpec.js';
import { SeededRandom } from '../bridge/random/SeededRandom.js';
import { selectBackend, type BackendChoice } from '../trainer/backend/selectBackend.js';
import { threadedWasmThreads } from '../trainer/backend/ThreadedWasm.js';
import { installWasmMatMulGradient, uninstallWasmMatMulGradient } from '../trainer/backend/WasmMatMulGradient.js';
import { PpoOptimizer, type PpoBatch } from '../trainer/ppo/PpoOptimizer.js';

const { values: args } = parseArgs({
  options: {
    configs: { type: 'string', default: 'wasm:auto,wasm:1,cpu,tensorflow' },
    child: { type: 'string' },
    minibatches: { type: 'string', default: '30' },
    'cpu-minibatches': { type: 'string', default: '2' },
    'stock-minibatches': { type: 'string', default: '2' },
  },
});

const BUFFER = 20480;
const BATCH = 2048;
const EPOCHS = 3;
const FULL_UPDATE = (BUFFER / BATCH) * EPOCHS;
const HP = { learningRate: 3e-4, beta: 5e-3, epsilon: 0.2 };

const soccer: BehaviorSpec = {
  name: 'SoccerTwos',
  observations: [
    { name: 'rays_forward', shape: [264], kind: 'rays' },
    { name: 'rays_backward', shape: [72], kind: 'rays' },
  ],
  actions: { continuous: 0, discrete: [3, 3, 3] },
  teamCount: 2,
  maxStep: 0,
};

function makeBatch(opt: PpoOptimizer, rng: SeededRandom): PpoBatch {
  const n = BATCH;
  const obs = soccer.observations.map((o) => Float32Array.from({ length: n * o.shape[0]! }, () => (rng.next() < 0.8 ? 0 : rng.next())));
  const acted = opt.act(obs, null, n);
  return {
    n,
    obs,
    continuousRaw: new Float32Array(0),
    discrete: acted.discrete,
    actionMasks: null,
    oldLogProbs: acted.logProbs,
    advantages: Float32Array.from({ length: n }, () => rng.normal()),
    returns: { extrinsic: Float32Array.from({ length: n }, () => rng.range(-1, 1)) },
    oldValues: opt.values(obs, n),
  };
}

interface Row {
  backend: string;
  measured: number;
  minibatchMs: number;
  upload: number;
  forward: number;
  backward: number;
  apply: number;
  readback: number;
  note: string;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

/** Times `count` minibatch updates plus a few forward-only passes. */
function measure(opt: PpoOptimizer, batch: PpoBatch, count: number, backend: string, note: string): Row {
  opt.update(batch, HP); // warm-up: kernel setup, first allocations
  const times: number[] = [];
  const parts = { upload: 0, forwardBackward: 0, apply: 0, readback: 0 };
  for (let i = 0; i < count; i++) {
    const t0 = performance.now();
    opt.update(batch, HP);
    times.push(performance.now() - t0);
    const t = opt.lastUpdateTimings;
    parts.upload += t.upload;
    parts.forwardBackward += t.forwardBackward;
    parts.apply += t.apply;
    parts.readback += t.readback;
  }
  const forwardTimes: number[] = [];
  for (let i = 0; i < Math.min(3, count); i++) {
    const t0 = performance.now();
    opt.evaluateLosses(batch, HP);
    forwardTimes.push(performance.now() - t0);
  }
  const upload = parts.upload / count;
  // evaluateLosses includes its own upload; the forward pass alone is the rest.
  const forward = Math.max(0, median(forwardTimes) - upload);
  const fb = parts.forwardBackward / count;
  return {
    backend,
    measured: count,
    minibatchMs: times.reduce((a, b) => a + b, 0) / count,
    upload,
    forward,
    backward: Math.max(0, fb - forward),
    apply: parts.apply / count,
    readback: parts.readback / count,
    note,
  };
}

function actingLatency(opt: PpoOptimizer, rng: SeededRandom): string {
  const cells: string[] = [];
  for (const n of [1, 16, 128]) {
    const obs = soccer.observations.map((o) => Float32Array.from({ length: n * o.shape[0]! }, () => rng.next()));
    opt.act(obs, null, n);
    const reps = 20;
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) opt.act(obs, null, n);
    cells.push(`${n} agents ${((performance.now() - t0) / reps).toFixed(2)} ms`);
  }
  return cells.join(', ');
}

const f1 = (x: number) => x.toFixed(1).padStart(8);

/** Runs one configuration ("wasm:auto", "wasm:1", "cpu", "tensorflow") in this process. */
/**
 * Forward + backward of two 336-512-512 Swish bodies (the actor's and the critic's) on a
 * minibatch of 2048, written as plain tfjs ops and left to autodiff: with tfjs' stock BatchMatMul
 * gradient, with WasmMatMulGradient's, and the networks' own DenseLayer (hand-written backward).
 */
function matMulGradientComparison(reps: number, label: string): string[] {
  const rng = new SeededRandom(2);
  const init = (rows: number, cols: number) =>
    tf.tidy(() => tf.variable(tf.tensor2d(Float32Array.from({ length: rows * cols }, () => rng.normal() / Math.sqrt(rows)), [rows, cols])));
  const zeros = () => tf.tidy(() => tf.variable(tf.zeros([512])));
  const bodies = [0, 1].map(() => ({ w1: init(336, 512), b1: zeros(), w2: init(512, 512), b2: zeros() }));
  const x = tf.tensor2d(Float32Array.from({ length: BATCH * 336 }, () => rng.next()), [BATCH, 336]);
  const upstream = tf.tensor2d(Float32Array.from({ length: BATCH * 512 }, () => rng.normal()), [BATCH, 512]);
  const swish = (z: tf.Tensor) => tf.mul(z, tf.sigmoid(z));
  const vars = bodies.flatMap((b) => [b.w1, b.b1, b.w2, b.b2]);
  const step = () => {
    const { value, grads } = tf.variableGrads(() => {
      let loss = tf.scalar(0);
      for (const b of bodies) {
        const h = swish(tf.add(tf.matMul(swish(tf.add(tf.matMul(x, b.w1), b.b1)), b.w2), b.b2));
        loss = tf.add(loss, tf.sum(tf.mul(h, upstream)));
      }
      return loss as tf.Scalar;
    }, vars);
    value.dataSync();
    tf.dispose([value, ...Object.values(grads)]);
  };
  const time = () => {
    step();
    const t0 = performance.now();
    for (let i = 0; i < reps; i++) step();
    return (performance.now() - t0) / reps;
  };
  uninstallWasmMatMulGradient();
  const stock = time();
  installWasmMatMulGradient();
  const fast = time();
  tf.dispose([x, upstream, ...vars]);
  return [`${label}: autodiff with stock BatchMatMul gradient ${stock.toFixed(0)} ms, with explicit transposes ${fast.toFixed(0)} ms (${(stock / fast).toFixed(1)}x)`];
}

async function runConfig(config: string): Promise<{ rows: Row[]; acting: string; gradients: string[] } | { skipped: string }> {
  const [choice, threads] = config.split(':') as [BackendChoice, string | undefined];
  let backend: string;
  try {
    backend = await selectBackend(choice, { wasmThreads: threads === undefined || threads === 'auto' ? 'auto' : Number(threads) });
  } catch (e) {
    return { skipped: (e as Error).message.split(';')[0]! };
  }
  const label = backend === 'wasm' ? `wasm, ${threadedWasmThreads} thread${threadedWasmThreads > 1 ? 's' : ''}` : backend;
  const rows: Row[] = [];
  const rng = new SeededRandom(1);
  const opt = new PpoOptimizer({ spec: soccer, network: { normalize: false, hidden_units: 512, num_layers: 2 }, rewardSignals: ['extrinsic'], seed: 1 });
  const batch = makeBatch(opt, rng);
  const before = tf.memory().numTensors;
  const count = Number(backend === 'cpu' ? args['cpu-minibatches'] : args.minibatches);
  rows.push(measure(opt, batch, count, label, count === FULL_UPDATE ? 'full update measured' : `extrapolated from ${count} minibatches`));
  const acting = `${label}: ${actingLatency(opt, rng)}`;
  const gradients = backend === 'wasm' ? matMulGradientComparison(Number(args['stock-minibatches']), label) : [];
  if (tf.memory().numTensors !== before) throw new Error(`${tf.memory().numTensors - before} tensors leaked on ${backend}`);
  opt.dispose();
  return { rows, acting, gradients };
}

if (args.child) {
  console.log(`RESULT ${JSON.stringify(await runConfig(args.child))}`);
} else {
  const rows: Row[] = [];
  const acting: string[] = [];
  const gradients: string[] = [];
  const script = fileURLToPath(import.meta.url);
  for (const config of args.configs!.split(',').map((c) => c.trim())) {
    const forwarded = ['--minibatches', args.minibatches!, '--cpu-minibatches', args['cpu-minibatches']!, '--stock-minibatches', args['stock-minibatches']!];
    const child = spawnSync(process.execPath, [...process.execArgv, script, '--child', config, ...forwarded], { encoding: 'utf8', maxBuffer: 1 << 24 });
    const line = child.stdout.split('\n').find((l) => l.startsWith('RESULT '));
    if (!line) {
      console.log(`${config}: failed (exit ${child.status})\n${child.stderr.slice(-2000)}`);
      continue;
    }
    const result = JSON.parse(line.slice(7)) as { rows: Row[]; acting: string; gradients: string[] } | { skipped: string };
    if ('skipped' in result) {
      console.log(`${config}: skipped (${result.skipped})`);
      continue;
    }
    rows.push(...result.rows);
    acting.push(result.acting);
    gradients.push(...result.gradients);
  }

  console.log(`\nPPO update, SoccerTwos-size network (336 -> 512 -> 512, branches [3,3,3], separate critic)`);
  console.log(`buffer ${BUFFER}, minibatch ${BATCH}, ${EPOCHS} epochs = ${FULL_UPDATE} minibatch updates per policy update; times in ms\n`);
  console.log('backend                               minibatch  upload forward backward    adam readback   update s  transitions/s  note');
  for (const r of rows) {
    const updateSeconds = (r.minibatchMs * FULL_UPDATE) / 1000;
    console.log(
      `${r.backend.padEnd(36)}${f1(r.minibatchMs).padStart(11)}${f1(r.upload)}${f1(r.forward)}${f1(r.backward)}${f1(r.apply)}${f1(r.readback).padStart(9)}` +
        `${updateSeconds.toFixed(1).padStart(11)}${Math.round(BUFFER / updateSeconds).toString().padStart(15)}  ${r.note}`,
    );
  }
  console.log('\nacting latency (one act() call, sampling included):');
  for (const line of acting) console.log(`  ${line}`);
  console.log('\nforward + backward of the two 336-512-512 bodies, minibatch 2048, plain autodiff:');
  for (const line of gradients) console.log(`  ${line}`);
  console.log('  (the networks themselves use DenseLayer\'s hand-written backward: see the "backward" column above)');
}
