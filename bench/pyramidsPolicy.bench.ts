/**
 * How well an .onnx Pyramids policy plays this game: ours (results/<run>/Pyramids.onnx) or
 * ML-Agents' (the fixture xenjin450_Pyramids.onnx, trained in Unity). Sampled actions, as the
 * policy plays in training, in headless areas; prints the episodes that ended, their mean reward
 * (2 on the gold minus the step penalty, -1 for a timeout), wins and mean length in steps, and
 * where a won episode's steps went: until the switch, and from the switch to the gold. The
 * models sample with their own random op, which cannot be seeded from here: repeated runs differ
 * by a few hundredths.
 *
 * Run: npm run bench:pyramids-policy [-- --model file.onnx --steps 15000 --areas 16 --seed 21]
 * (default model: ML-Agents' fixture; `--model pilot` plays the scripted SwitchThenGoalPilot, which
 * reads the game's state instead of the rays: a reference for how short an episode can be).
 */
import { parseArgs } from 'node:util';
import { OnnxPolicy } from '../bridge/inference/OnnxPolicy.js';
import { Sync, type EpisodeEndInfo } from '../bridge/sync/Sync.js';
import { createPyramidsGame } from '../sample-games/pyramids/sim.js';
import { mlagentsFixture } from '../test/fixtures/mlagentsFixtures.js';

const { values: args } = parseArgs({
  options: {
    model: { type: 'string', default: mlagentsFixture('xenjin450_Pyramids.onnx') },
    steps: { type: 'string', default: '15000' },
    areas: { type: 'string', default: '16' },
    seed: { type: 'string', default: '21' },
  },
});
const count = (name: 'steps' | 'areas' | 'seed', min: number): number => {
  const n = Number(args[name]);
  if (!Number.isInteger(n) || n < min) throw new Error(`--${name}: expected an integer >= ${min}, got ${args[name]}`);
  return n;
};
const steps = count('steps', 1);
const areas = count('areas', 1);
const game = createPyramidsGame({ areas, seed: count('seed', 0), parameters: {} });
const policy = args.model === 'pilot' ? null : await OnnxPolicy.load(args.model!, { deterministic: false });
const ended: EpisodeEndInfo[] = [];
/** Ended at the gold brick (a timeout is interrupted and scores -1). */
const won = (e: EpisodeEndInfo) => !e.interrupted && e.cumulativeReward > 0;
// Per area (agent i plays area i): the game step its episode began at and the one its switch was pressed at.
const began = new Array<number>(areas).fill(0);
const pressed = new Array<number>(areas).fill(-1);
const phases: { toSwitch: number; toGold: number }[] = [];
let clock = 0;
const stepGame = game.step.bind(game);
game.step = () => {
  stepGame();
  clock++;
  game.areas.forEach((area, i) => {
    if (area.switchOn && pressed[i]! < 0) pressed[i] = clock;
  });
};
const onEpisodeEnd = (e: EpisodeEndInfo) => {
  ended.push(e);
  const i = e.agentId;
  if (won(e) && pressed[i]! >= 0) phases.push({ toSwitch: pressed[i]! - began[i]!, toGold: clock - pressed[i]! });
  began[i] = clock;
  pressed[i] = -1;
};
const sync = policy
  ? new Sync({ game, gameName: 'pyramids', mode: 'onnx', policy, areas, onEpisodeEnd })
  : new Sync({ game, gameName: 'pyramids', mode: 'human', areas, onEpisodeEnd });
await sync.run({ maxSteps: steps });
sync.close();
if (ended.length === 0) throw new Error(`no episode ended in ${steps} steps; pass a larger --steps (an episode lasts at most 5000)`);
const mean = ended.reduce((a, e) => a + e.cumulativeReward, 0) / ended.length;
const wins = ended.filter(won).length;
const length = ended.reduce((a, e) => a + e.steps, 0) / ended.length;
const meanOf = (key: 'toSwitch' | 'toGold') => (phases.length === 0 ? NaN : phases.reduce((a, p) => a + p[key], 0) / phases.length);
console.log('| model | areas x steps | episodes | mean reward | won | mean length (steps) | won: steps to the switch / then to the gold |');
console.log('|---|---|---|---|---|---|---|');
console.log(
  `| ${args.model} | ${areas} x ${steps} | ${ended.length} | ${mean.toFixed(3)} | ${wins} | ${length.toFixed(0)} | ${meanOf('toSwitch').toFixed(0)} / ${meanOf('toGold').toFixed(0)} |`,
);
