import type { GameModule } from '../../bridge/game/GameModule.js';
import { createSnowballTargetGame, snowballTargetBehavior } from './sim.js';

/** The Hugging Face course's SnowballTarget as a headless game module. */
const snowballTargetGame: GameModule = {
  name: 'snowballtarget',
  description: 'Hugging Face Deep RL course SnowballTarget: a bear throws snowballs at targets, +1 per hit, 1000 decisions',
  behaviors: [snowballTargetBehavior],
  create: createSnowballTargetGame,
};

export default snowballTargetGame;
