/**
 * Built-in game speed without a trainer: scene steps per second through the AIController hooks
 * (observations, heuristic decisions, actions, physics, rules: what a game process does per step
 * apart from the protocol), for one area and for ML-Agents' scene size of 12.
 *
 * Run: npm run bench:games [-- --steps 5000]
 */
import { builtInGames } from '../sample-games/registry.js';
import { LockstepDriver, heuristicDecisions } from '../test/games/LockstepDriver.js';

const argIndex = process.argv.indexOf('--steps');
const STEPS = argIndex > 0 ? Number(process.argv[argIndex + 1]) : 5000;
if (!Number.isInteger(STEPS) || STEPS < 100) {
  throw new Error(`--steps: expected an integer >= 100, got ${process.argv[argIndex + 1]}`);
}

const rows: string[][] = [];
for (const module of builtInGames) {
  for (const areas of [1, 12]) {
    const driver = new LockstepDriver(module.create({ areas, seed: 1, parameters: {} }), heuristicDecisions);
    driver.run(Math.min(500, STEPS / 10)); // warm-up
    const t0 = performance.now();
    driver.run(STEPS);
    const seconds = (performance.now() - t0) / 1000;
    rows.push([module.name, String(areas), (STEPS / seconds).toFixed(0), ((STEPS * areas) / seconds).toFixed(0), ((seconds / (STEPS * areas)) * 1e6).toFixed(1)]);
  }
}

const header = ['game', 'areas', 'scene steps/s', 'agent steps/s', 'us/agent step'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]) => cells.map((c, i) => (i < 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
console.log(line(header));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const r of rows) console.log(line(r));
