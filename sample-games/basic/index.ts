import type { GameModule } from '../../bridge/game/GameModule.js';
import { basicBehavior, createBasicGame } from './sim.js';

/** ML-Agents' Basic as a headless game module. */
const basicGame: GameModule = {
  name: 'basic',
  description: "ML-Agents' Basic: walk left or right to a small (+0.1) or large (+1) goal, -0.01 per step",
  behaviors: [basicBehavior],
  create: createBasicGame,
};

export default basicGame;
