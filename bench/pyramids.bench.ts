/**
 * Pyramids speed without a trainer: scene steps per second through the AIController hooks
 * (observations with 105 ray casts per decision, decisions, actions, physics, rules), for one area
 * and ML-Agents' scene size of 16, with two players:
 *
 * - random: uniform actions, as a fresh policy plays; the agent rarely touches a pyramid;
 * - pilot: the scripted player, which drives through rooms and rams the brick pyramid every
 *   episode (about 800 steps), as a trained policy does; toppling pyramids are the cost here.
 *
 * Columns: scene steps/s, agent steps/s, microseconds per agent step, then the share of area
 * steps with a pyramid in motion, the ray casting cost per decision, and episodes finished.
 *
 * Run: npm run bench:pyramids [-- --steps 2000]
 */
import type { DecideFn } from '../test/games/LockstepDriver.js';
import { LockstepDriver, heuristicDecisions } from '../test/games/LockstepDriver.js';
import { ObservationWriter } from '../bridge/agent/ObservationWriter.js';
import { SeededRandom } from '../bridge/random/SeededRandom.js';
import { createPyramidsGame, pyramidsBehavior, type PyramidsGame } from '../sample-games/pyramids/sim.js';

const argIndex = process.argv.indexOf('--steps');
const STEPS = argIndex > 0 ? Number(process.argv[argIndex + 1]) : 2000;
if (!Number.isInteger(STEPS) || STEPS < 100) {
  throw new Error(`--steps: expected an integer >= 100, got ${process.argv[argIndex + 1]}`);
}

const randomDecisions = (): DecideFn => {
  const rng = new SeededRandom(7);
  return (_agent, _obs, out) => {
    out.discrete[0] = rng.int(5);
  };
};

/** Share of areas with a pyramid in the physics world and awake. */
function movingShare(game: PyramidsGame): number {
  let moving = 0;
  for (const area of game.areas) {
    if ([area.brickPyramid, ...area.stonePyramids].some((p) => p.state === 'live' && !p.asleep)) moving++;
  }
  return moving / game.areas.length;
}

/** Milliseconds to collect one agent's observations (3 sensors x 7 rays x 5 casts). */
function rayCost(game: PyramidsGame): number {
  const writer = new ObservationWriter(pyramidsBehavior);
  const agent = game.agents[0]!;
  const n = 200;
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    writer.reset();
    agent.collectObservations(writer);
  }
  return (performance.now() - t0) / n;
}

// JIT warm-up on a scene of its own, so that the first row is not the slowest.
new LockstepDriver(createPyramidsGame({ areas: 4, seed: 99, parameters: {} }), heuristicDecisions).run(1500);

const rows: string[][] = [];
for (const [player, decide] of [
  ['random', randomDecisions],
  ['pilot', () => heuristicDecisions],
] as const) {
  for (const areas of [1, 16]) {
    const game = createPyramidsGame({ areas, seed: 1, parameters: {} });
    const driver = new LockstepDriver(game, decide());
    driver.run(Math.min(300, STEPS / 10)); // warm-up
    const episodesBefore = driver.episodes.length;
    let moving = 0;
    const t0 = performance.now();
    for (let i = 0; i < STEPS; i++) {
      driver.step();
      moving += movingShare(game);
    }
    const seconds = (performance.now() - t0) / 1000;
    rows.push([
      player,
      String(areas),
      (STEPS / seconds).toFixed(0),
      ((STEPS * areas) / seconds).toFixed(0),
      ((seconds / (STEPS * areas)) * 1e6).toFixed(1),
      `${((moving / STEPS) * 100).toFixed(0)}%`,
      rayCost(game).toFixed(3),
      String(driver.episodes.length - episodesBefore),
    ]);
  }
}

const header = ['player', 'areas', 'scene steps/s', 'agent steps/s', 'us/agent step', 'pyramid moving', 'ms/observation', 'episodes'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]) => cells.map((c, i) => (i < 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
console.log(line(header));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const r of rows) console.log(line(r));
