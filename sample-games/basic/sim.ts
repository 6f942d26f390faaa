/**
 * ML-Agents' Basic: an agent on a line of 20 cells walks to a small goal (+0.1) or a large goal
 * (+1), paying 0.01 per step; reaching either goal ends the episode. Facts from ML-Agents'
 * BasicController.cs / BasicSensorComponent.cs / BasicActuatorComponent.cs: start cell 10, small
 * goal 7, large goal 17, one discrete branch {0 stay, 1 left, 2 right}, a one-hot position of
 * size 20, a decision every step and no step limit. No physics, so no cannon-es.
 */
import { AIController } from '../../bridge/agent/AIController.js';
import type { AgentAction } from '../../bridge/agent/AgentAction.js';
import type { ObservationWriter } from '../../bridge/agent/ObservationWriter.js';
import type { GameInstance, GameOptions } from '../../bridge/game/GameModule.js';
import { checkBehaviorSpec, observationSize, type BehaviorSpec } from '../../bridge/spec/BehaviorSpec.js';
import { checkGameOptions } from '../GameOptionsCheck.js';

/** The rules of Basic, as ML-Agents' BasicController sets them. */
export const basicRules = {
  cells: 20,
  start: 10,
  smallGoal: 7,
  largeGoal: 17,
  smallGoalReward: 0.1,
  largeGoalReward: 1,
  stepReward: -0.01,
} as const;

/** The one behavior of Basic, shared by every agent. */
export const basicBehavior: BehaviorSpec = checkBehaviorSpec({
  name: 'Basic',
  observations: [{ name: 'position', shape: [basicRules.cells], kind: 'vector' }],
  actions: { continuous: 0, discrete: [3] },
  teamCount: 1,
  maxStep: 0,
});

/** Discrete action indices of Basic's branch 0, in ML-Agents' order. */
export const BasicMove = { stay: 0, left: 1, right: 2 } as const;

/** Unity's default fixed step; Basic has no physics, so it only paces the view. */
export const BASIC_FIXED_DELTA_TIME = 0.02;

/** A source of human input for the heuristic: -1 left, 0 none, +1 right. */
export interface DirectionInput {
  direction(): number;
}

/** The agent of one Basic area: a position on the line and the move chosen for the next step. */
export class BasicAgent extends AIController {
  readonly behavior = basicBehavior;
  /** Cell index 0..cells-1. */
  position: number = basicRules.start;
  /** The goal reached this episode, if any; the agent stands still until its episode restarts. */
  reachedGoal: 'small' | 'large' | null = null;
  /** Keyboard (or script) read by `heuristic`; null = stay. */
  manualInput: DirectionInput | null = null;
  private move = 0;
  private readonly oneHot = new Float32Array(observationSize(basicBehavior.observations[0]!));

  constructor(readonly area: number) {
    super({ decisionPeriod: 1 });
  }

  override onEpisodeBegin(): void {
    this.position = basicRules.start;
    this.reachedGoal = null;
    this.move = 0;
  }

  override collectObservations(obs: ObservationWriter): void {
    this.oneHot.fill(0);
    this.oneHot[this.position] = 1;
    obs.add('position', this.oneHot);
  }

  override onActionReceived(action: AgentAction): void {
    const choice = action.discrete[0];
    if (choice === BasicMove.left) this.move = -1;
    else if (choice === BasicMove.right) this.move = 1;
    else if (choice === BasicMove.stay) this.move = 0;
    else throw new Error(`Basic agent ${this.agentId}: discrete action [0] must be 0 (stay), 1 (left) or 2 (right), got ${choice}`);
  }

  override heuristic(out: AgentAction): void {
    const d = this.manualInput?.direction() ?? 0;
    out.discrete[0] = d < 0 ? BasicMove.left : d > 0 ? BasicMove.right : BasicMove.stay;
  }

  /** One step of the rules: move, pay the step cost, end the episode on a goal. */
  applyRules(): void {
    if (this.reachedGoal) return;
    this.position = Math.min(basicRules.cells - 1, Math.max(0, this.position + this.move));
    // The move is consumed so that a step without a new action (no decision source) stands still.
    this.move = 0;
    this.addReward(basicRules.stepReward);
    if (this.position === basicRules.smallGoal) {
      this.reachedGoal = 'small';
      this.addReward(basicRules.smallGoalReward);
      this.endEpisode();
    } else if (this.position === basicRules.largeGoal) {
      this.reachedGoal = 'large';
      this.addReward(basicRules.largeGoalReward);
      this.endEpisode();
    }
  }
}

/** A running Basic game: one agent per area, areas independent. */
export class BasicGame implements GameInstance {
  readonly agents: readonly BasicAgent[];
  readonly fixedDeltaTime = BASIC_FIXED_DELTA_TIME;

  constructor(options: GameOptions) {
    checkGameOptions('basic', options);
    this.agents = Array.from({ length: options.areas }, (_, i) => new BasicAgent(i));
  }

  step(): void {
    for (const agent of this.agents) agent.applyRules();
  }
}

/** Builds a Basic game (Basic has no randomness and no environment parameters). */
export function createBasicGame(options: GameOptions): BasicGame {
  return new BasicGame(options);
}
