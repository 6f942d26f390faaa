import type { GameModule } from '../../bridge/game/GameModule.js';
import { ball3DBehavior, createBall3DGame } from './sim.js';

/** ML-Agents' 3DBall as a headless game module. */
const ball3DGame: GameModule = {
  name: '3dball',
  description: "ML-Agents' 3DBall: tilt a cube to keep a ball on it, +0.1 per decision, -1 when it falls",
  behaviors: [ball3DBehavior],
  create: createBall3DGame,
};

export default ball3DGame;
