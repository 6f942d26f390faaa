/**
 * SnowballTarget (Hugging Face Deep RL course, unit 5) on cannon-es: Julien the bear walks, turns
 * and throws snowballs at targets that pop up at random places, +1 per hit, 1000 decisions per
 * episode. Rules, numbers and their sources: behavior.ts and README.md.
 */
import type { GameInstance, GameOptions } from '../../bridge/game/GameModule.js';
import { SeededRandom } from '../../bridge/random/SeededRandom.js';
import { checkGameOptions } from '../GameOptionsCheck.js';
import { SNOWBALL_FIXED_DELTA_TIME } from './behavior.js';
import { SnowballAgent } from './SnowballAgent.js';
import { SnowballArea } from './SnowballArea.js';

export { SnowballAgent, type SnowballInput } from './SnowballAgent.js';
export { SnowballArea, SnowballGroup, type Snowball, type Target } from './SnowballArea.js';
export { aimingAction, AIMING_THROW_DISTANCE } from './AimingHeuristic.js';
export {
  CAN_SHOOT_OBSERVATION,
  SNOWBALL_DECISION_PERIOD,
  SNOWBALL_EPISODE_DECISIONS,
  SNOWBALL_FIXED_DELTA_TIME,
  SNOWBALL_STACKS,
  SnowballBranch,
  SnowballMove,
  SnowballShoot,
  SnowballTags,
  SnowballTurn,
  snowballRaySensors,
  snowballRules,
  snowballTargetBehavior,
} from './behavior.js';

/** A running SnowballTarget game: one bear per arena, every arena in its own physics world. */
export class SnowballTargetGame implements GameInstance {
  readonly agents: readonly SnowballAgent[];
  readonly areas: readonly SnowballArea[];
  readonly fixedDeltaTime = SNOWBALL_FIXED_DELTA_TIME;

  constructor(options: GameOptions) {
    checkGameOptions('snowballtarget', options);
    // One generator per arena, drawn from the game's seed: an arena's episodes depend only on its
    // own history, not on how many arenas run beside it.
    const seeds = new SeededRandom(options.seed);
    this.areas = Array.from({ length: options.areas }, () => new SnowballArea(new SeededRandom(seeds.nextUint32())));
    this.agents = this.areas.map((area) => new SnowballAgent(area));
    // Valid from the start (for a view or a first observation); Sync's onEpisodeBegin resets again.
    for (const area of this.areas) area.reset();
  }

  step(): void {
    for (let i = 0; i < this.areas.length; i++) {
      this.areas[i]!.step();
      this.agents[i]!.applyRules();
    }
  }
}

/** Builds a SnowballTarget game (it has no environment parameters). */
export function createSnowballTargetGame(options: GameOptions): SnowballTargetGame {
  return new SnowballTargetGame(options);
}
