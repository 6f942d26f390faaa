/**
 * ML-Agents' Pyramids on cannon-es: press the switch, which raises a brick pyramid somewhere in
 * the area, then topple it and touch the gold brick on its top. Rules and numbers: behavior.ts;
 * geometry: PyramidsLayout.ts.
 */
import type { GameInstance, GameOptions } from '../../bridge/game/GameModule.js';
import { SeededRandom } from '../../bridge/random/SeededRandom.js';
import { TagRegistry } from '../../bridge/sensors/TagRegistry.js';
import { checkGameOptions } from '../GameOptionsCheck.js';
import { PyramidsAgent } from './PyramidsAgent.js';
import { PyramidsArea } from './PyramidsArea.js';
import { PYRAMIDS_FIXED_DELTA_TIME } from './behavior.js';

export { PyramidsAgent, type PyramidsKeys } from './PyramidsAgent.js';
export { PyramidsArea, PyramidsGroup, PYRAMIDS_RAY_MASK, STONE_PYRAMIDS } from './PyramidsArea.js';
export { SwitchThenGoalPilot, defaultPilotSettings, type PilotSettings } from './SwitchThenGoalPilot.js';
export {
  PYRAMIDS_DECISION_PERIOD,
  PYRAMIDS_FIXED_DELTA_TIME,
  PYRAMIDS_SCENE_AREAS,
  PYRAMIDS_SWITCH_STAT,
  PYRAMIDS_TAGS,
  PYRAMIDS_VECTOR_OBSERVATION,
  PyramidsAction,
  pyramidsBehavior,
  pyramidsRaySensors,
  pyramidsRules,
  type PyramidsTag,
} from './behavior.js';

/** A running Pyramids game: one agent per area, every area in its own physics world. */
export class PyramidsGame implements GameInstance {
  readonly agents: readonly PyramidsAgent[];
  readonly areas: readonly PyramidsArea[];
  readonly fixedDeltaTime = PYRAMIDS_FIXED_DELTA_TIME;
  /** Tags of every area's bodies, as the ray sensors read them. */
  readonly tags = new TagRegistry();

  constructor(options: GameOptions) {
    checkGameOptions('pyramids', options);
    // One generator per area, drawn from the game's seed: an area's episodes depend on its own history only.
    const seeds = new SeededRandom(options.seed);
    this.areas = Array.from({ length: options.areas }, () => new PyramidsArea(new SeededRandom(seeds.nextUint32()), this.tags));
    this.agents = this.areas.map((area) => new PyramidsAgent(area, this.tags, options.stats));
    // Valid from the start (for a view or a first observation); Sync's onEpisodeBegin resets again.
    for (const area of this.areas) area.reset();
  }

  step(): void {
    for (let i = 0; i < this.areas.length; i++) {
      this.areas[i]!.step(this.fixedDeltaTime);
      this.agents[i]!.applyRules();
    }
  }
}

/** Builds a Pyramids game. */
export function createPyramidsGame(options: GameOptions): PyramidsGame {
  return new PyramidsGame(options);
}
