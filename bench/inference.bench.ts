/**
 * In-game inference speed: one OnnxPolicy.decide() (tensors in, run, actions out) of an exported
 * SoccerTwos-shaped policy (obs 264 + 72 = 336 -> 512 -> 512, discrete [3, 3, 3] with masks, as
 * ML-Agents' SoccerTwos model) at batch 1, 8 and 32, on onnxruntime-node and on onnxruntime-web
 * (WASM, one thread, here in Node), deterministic and sampled.
 *
 * Run: npm run bench:inference [-- --iterations 500]
 */
import { loadavg } from 'node:os';
import { OnnxPolicy } from '../bridge/inference/OnnxPolicy.js';
import { SeededRandom } from '../bridge/random/SeededRandom.js';
import type { BehaviorSpec } from '../bridge/spec/BehaviorSpec.js';
import { buildPolicyModel } from '../onnx-export/PolicyModel.js';
import { packageVersion } from '../onnx-export/packageVersion.js';
import { selectBackend } from '../trainer/backend/selectBackend.js';
import { ActorCritic } from '../trainer/networks/ActorCritic.js';

const argIndex = process.argv.indexOf('--iterations');
const ITERATIONS = argIndex > 0 ? Number(process.argv[argIndex + 1]) : 500;
if (!Number.isInteger(ITERATIONS) || ITERATIONS < 10) {
  throw new Error(`--iterations: expected an integer >= 10, got ${process.argv[argIndex + 1]}`);
}
const WARMUP = Math.max(20, ITERATIONS / 10);
const BATCHES = [1, 8, 32];

const soccer: BehaviorSpec = {
  name: 'SoccerTwos',
  observations: [
    { name: 'forward_rays', shape: [264], kind: 'rays' },
    { name: 'backward_rays', shape: [72], kind: 'rays' },
  ],
  actions: { continuous: 0, discrete: [3, 3, 3] },
  teamCount: 2,
  maxStep: 0,
};

function quantile(sorted: number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

await selectBackend('wasm');
const net = new ActorCritic({ spec: soccer, network: { normalize: false, hidden_units: 512, num_layers: 2 }, rewardSignals: ['extrinsic'], seed: 1 });
const bytes = buildPolicyModel(net.describe(), soccer, { trainerStep: 0, version: packageVersion() });
net.dispose();

const rng = new SeededRandom(1);
const inputs = new Map(
  BATCHES.map((n) => [
    n,
    {
      obs: soccer.observations.map((o) => Float32Array.from({ length: n * o.shape[0]! }, () => rng.range(0, 1))),
      masks: Uint8Array.from({ length: n * 9 }, (_, j) => (j % 3 === 0 || rng.range(0, 1) < 0.7 ? 1 : 0)),
    },
  ]),
);

const rows: Record<string, string | number>[] = [];
for (const runtime of ['node', 'web'] as const) {
  const policy = await OnnxPolicy.load(bytes, { runtime, wasmThreads: 1 });
  for (const deterministic of [true, false]) {
    policy.deterministic = deterministic;
    for (const n of BATCHES) {
      const { obs, masks } = inputs.get(n)!;
      for (let i = 0; i < WARMUP; i++) await policy.decide(soccer, obs, masks, n);
      const samples = new Array<number>(ITERATIONS);
      for (let i = 0; i < ITERATIONS; i++) {
        const t0 = process.hrtime.bigint();
        await policy.decide(soccer, obs, masks, n);
        samples[i] = Number(process.hrtime.bigint() - t0) / 1e6;
      }
      samples.sort((a, b) => a - b);
      const median = quantile(samples, 0.5);
      rows.push({
        runtime: `onnxruntime-${runtime}`,
        actions: deterministic ? 'deterministic' : 'sampled',
        batch: n,
        'min ms': Number(samples[0]!.toFixed(3)),
        'median ms': Number(median.toFixed(3)),
        'p95 ms': Number(quantile(samples, 0.95).toFixed(3)),
        'median us / agent': Number(((median * 1000) / n).toFixed(1)),
      });
    }
  }
  await policy.dispose();
}

console.log(
  `inference bench: OnnxPolicy.decide of a 336 -> 512 -> 512 policy, discrete [3, 3, 3] with masks (${(bytes.length / 1e6).toFixed(2)} MB model); ` +
    `${ITERATIONS} iterations after ${WARMUP} warm-up; node ${process.version}; ` +
    // Other processes on the machine inflate medians; min shows the cost without contention.
    `load average ${loadavg().map((l) => l.toFixed(2)).join(' ')}`,
);
console.table(rows);
