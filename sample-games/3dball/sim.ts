/**
 * ML-Agents' 3DBall on cannon-es: each agent tilts a cube to keep a ball on top of it.
 * Rules and numbers: see behavior.ts.
 */
import type { GameInstance, GameOptions } from '../../bridge/game/GameModule.js';
import { SeededRandom } from '../../bridge/random/SeededRandom.js';
import { checkGameOptions, readPositiveParameter } from '../GameOptionsCheck.js';
import { Ball3DAgent } from './Ball3DAgent.js';
import { Ball3DArea, type Ball3DParameters } from './Ball3DArea.js';
import { BALL3D_FIXED_DELTA_TIME, ball3DRules } from './behavior.js';

export { Ball3DAgent, type TiltInput } from './Ball3DAgent.js';
export { Ball3DArea, type Ball3DParameters } from './Ball3DArea.js';
export { ball3DBehavior, ball3DRules, BALL3D_DECISION_PERIOD, BALL3D_FIXED_DELTA_TIME, BALL3D_SCENE_AREAS } from './behavior.js';

/** Reads `mass` and `scale` (ML-Agents' 3DBall environment parameters), defaulting to the scene's. */
export function readBall3DParameters(parameters: Record<string, number>): Ball3DParameters {
  return {
    mass: readPositiveParameter('3dball', parameters, 'mass', ball3DRules.ballMass, 'ball mass in kg'),
    scale: readPositiveParameter('3dball', parameters, 'scale', 1, 'ball size factor'),
  };
}

/** A running 3DBall game: one agent per area, every area in its own physics world. */
export class Ball3DGame implements GameInstance {
  readonly agents: readonly Ball3DAgent[];
  readonly areas: readonly Ball3DArea[];
  readonly fixedDeltaTime = BALL3D_FIXED_DELTA_TIME;
  private parameters: Ball3DParameters;

  constructor(options: GameOptions) {
    checkGameOptions('3dball', options);
    this.parameters = readBall3DParameters(options.parameters);
    // One generator per area, drawn from the game's seed, so that an area's episodes depend on its
    // own history only.
    const seeds = new SeededRandom(options.seed);
    this.areas = Array.from({ length: options.areas }, () => new Ball3DArea(new SeededRandom(seeds.nextUint32())));
    this.agents = this.areas.map((area) => new Ball3DAgent(area, () => this.parameters));
    // Valid from the start (for a view or a first observation); Sync's onEpisodeBegin resets again.
    for (const agent of this.agents) agent.onEpisodeBegin();
  }

  step(): void {
    for (let i = 0; i < this.areas.length; i++) {
      this.areas[i]!.step(this.fixedDeltaTime);
      this.agents[i]!.applyRules();
    }
  }

  setParameters(parameters: Record<string, number>): void {
    this.parameters = readBall3DParameters(parameters);
  }
}

/** Builds a 3DBall game. */
export function createBall3DGame(options: GameOptions): Ball3DGame {
  return new Ball3DGame(options);
}
