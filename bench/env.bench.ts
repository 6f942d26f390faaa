/**
 * Trainer-side throughput of the environment path: headless game processes of a built-in game,
 * the EnvServer/EnvManager batching their reports, and a policy that answers at once with random
 * actions (so the numbers are the ceiling the protocol and batching leave for a real policy).
 *
 * Run: npm run bench:env [-- --game basic --steps 2000]
 */
import { SeededRandom } from '../bridge/random/SeededRandom.js';
import type { BehaviorSpec } from '../bridge/spec/BehaviorSpec.js';
import type { BehaviorPolicy, DecisionBatch } from '../trainer/env/BehaviorPolicy.js';
import { EnvManager } from '../trainer/env/EnvManager.js';
import { GameProcessPool } from '../trainer/env/GameProcessPool.js';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1]! : fallback;
}
const GAME = arg('game', 'basic');
const STEPS = Number(arg('steps', '2000'));
if (!Number.isInteger(STEPS) || STEPS < 100) throw new Error(`--steps: expected an integer >= 100, got ${arg('steps', '')}`);

function randomPolicy(spec: BehaviorSpec): BehaviorPolicy {
  const rng = new SeededRandom(1);
  return {
    async step(_terminals, decisions: DecisionBatch) {
      const continuous = new Float32Array(decisions.n * spec.actions.continuous);
      for (let i = 0; i < continuous.length; i++) continuous[i] = rng.range(-1, 1);
      const discrete = new Int32Array(decisions.n * spec.actions.discrete.length);
      for (let i = 0; i < discrete.length; i++) discrete[i] = rng.int(spec.actions.discrete[i % spec.actions.discrete.length]!);
      return { continuous, discrete };
    },
    dropAgents() {},
  };
}

async function measure(numEnvs: number, numAreas: number): Promise<string[]> {
  const manager = new EnvManager({ port: 0, log: () => {}, policyFactory: randomPolicy });
  await manager.start();
  const pool = new GameProcessPool({ game: GAME, numEnvs, numAreas, url: manager.url, maxSteps: STEPS, log: () => {} });
  try {
    await pool.start();
    // Timed from the first connected game to the last exit; process start-up is not counted.
    const t0 = performance.now();
    const d0 = manager.counters.decisions;
    const b0 = manager.counters.batches;
    await pool.whenExited();
    const seconds = (performance.now() - t0) / 1000;
    const c = manager.counters;
    const decisions = c.decisions - d0;
    const batches = c.batches - b0;
    return [
      String(numEnvs),
      String(numAreas),
      (decisions / seconds).toFixed(0),
      ((decisions / numAreas) / seconds).toFixed(0),
      (decisions / Math.max(1, batches)).toFixed(1),
      ((seconds / Math.max(1, batches)) * 1e6).toFixed(0),
    ];
  } finally {
    await pool.stop();
    await manager.close();
  }
}

const rows: string[][] = [];
for (const [envs, areas] of [
  [1, 1],
  [1, 16],
  [2, 1],
  [2, 16],
] as const) {
  rows.push(await measure(envs, areas));
}

console.log(`game ${GAME}, ${STEPS} scene steps per process, random policy answering at once`);
const header = ['envs', 'areas', 'agent steps/s', 'scene steps/s', 'rows/batch', 'us/batch'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]) => cells.map((c, i) => c.padStart(widths[i]!)).join('  ');
console.log(line(header));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const r of rows) console.log(line(r));
