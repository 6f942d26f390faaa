/**
 * SnowballTarget simulation speed, headless, without a trainer: scene steps per second for 1, 8 and
 * 16 arenas in one process (what one game process of `--env snowballtarget --num-areas N` does
 * apart from the protocol), and where a step's time goes: the four ray sensors (36 rays, cast once
 * per decision, i.e. every 5th step), the physics step, and the rest (actions, rules, decisions).
 *
 * Run: npm run bench:snowball [-- --steps 10000]
 */
import { emptyAction } from '../bridge/agent/AgentAction.js';
import { ObservationWriter } from '../bridge/agent/ObservationWriter.js';
import { SeededRandom } from '../bridge/random/SeededRandom.js';
import { createSnowballTargetGame, SNOWBALL_DECISION_PERIOD } from '../sample-games/snowball-target/sim.js';

const argIndex = process.argv.indexOf('--steps');
const STEPS = argIndex > 0 ? Number(process.argv[argIndex + 1]) : 10000;
if (!Number.isInteger(STEPS) || STEPS < SNOWBALL_DECISION_PERIOD * 100) {
  throw new Error(`--steps: expected an integer >= ${SNOWBALL_DECISION_PERIOD * 100}, got ${process.argv[argIndex + 1]}`);
}

type Player = 'scripted' | 'random';

/** Runs `steps` scene steps; returns seconds spent observing, in physics + rules, and in total. */
function run(areas: number, player: Player, steps: number) {
  const game = createSnowballTargetGame({ areas, seed: 1, parameters: {} });
  const writer = new ObservationWriter(game.agents[0]!.behavior);
  const rng = new SeededRandom(2);
  const actions = game.agents.map((a) => emptyAction(a.behavior.actions));
  let observe = 0;
  let physics = 0;
  const start = performance.now();
  for (let s = 0; s < steps; s++) {
    if (s % SNOWBALL_DECISION_PERIOD === 0) {
      for (let i = 0; i < game.agents.length; i++) {
        const agent = game.agents[i]!;
        const t = performance.now();
        writer.reset();
        agent.collectObservations(writer);
        observe += performance.now() - t;
        const out = actions[i]!;
        if (player === 'scripted') agent.heuristic(out);
        else out.discrete.set([rng.int(3), rng.int(3), rng.int(2)]);
        agent._action = out;
      }
    }
    for (const agent of game.agents) agent.onActionReceived(agent.currentAction);
    const t = performance.now();
    game.step();
    physics += performance.now() - t;
  }
  const total = (performance.now() - start) / 1000;
  return { observe: observe / 1000, physics: physics / 1000, total };
}

const rows: string[][] = [];
for (const player of ['scripted', 'random'] as const) {
  for (const areas of [1, 8, 16]) {
    run(areas, player, SNOWBALL_DECISION_PERIOD * 100); // warm-up
    const r = run(areas, player, STEPS);
    const areaSteps = STEPS * areas;
    const perStep = (seconds: number) => ((seconds / areaSteps) * 1e6).toFixed(1);
    rows.push([
      player,
      String(areas),
      (STEPS / r.total).toFixed(0),
      (areaSteps / r.total).toFixed(0),
      (areaSteps / SNOWBALL_DECISION_PERIOD / r.total).toFixed(0),
      perStep(r.total),
      perStep(r.observe),
      perStep(r.physics),
      perStep(r.total - r.observe - r.physics),
    ]);
  }
}

const header = ['player', 'areas', 'scene steps/s', 'area steps/s', 'decisions/s', 'us/area step', 'rays', 'physics+rules', 'other'];
const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
const line = (cells: string[]) => cells.map((c, i) => (i < 1 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
console.log(`SnowballTarget, ${STEPS} scene steps per row, decision every ${SNOWBALL_DECISION_PERIOD} steps (36 rays per decision)`);
console.log(line(header));
console.log(widths.map((w) => '-'.repeat(w)).join('  '));
for (const r of rows) console.log(line(r));
