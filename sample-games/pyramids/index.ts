import type { GameModule } from '../../bridge/game/GameModule.js';
import { createPyramidsGame, pyramidsBehavior } from './sim.js';

/** ML-Agents' Pyramids as a headless game module. */
const pyramidsGame: GameModule = {
  name: 'pyramids',
  description: "ML-Agents' Pyramids: press the switch, topple the brick pyramid it raises, touch the gold brick (+2), -1/5000 per step",
  behaviors: [pyramidsBehavior],
  create: createPyramidsGame,
};

export default pyramidsGame;
