/** A tiny game for the Sync tests: walkers on a line that record everything Sync does to them. */
import { AIController, type AIControllerOptions } from '../../bridge/agent/AIController.js';
import type { ActionMask } from '../../bridge/agent/ActionMask.js';
import type { AgentAction } from '../../bridge/agent/AgentAction.js';
import type { ObservationWriter } from '../../bridge/agent/ObservationWriter.js';
import type { GameInstance } from '../../bridge/game/GameModule.js';
import type { BehaviorSpec } from '../../bridge/spec/BehaviorSpec.js';

/** obs: position and episode step; actions: 1 continuous + one branch (0 stay, 1 left, 2 right). */
export const WALK_SPEC: BehaviorSpec = {
  name: 'Walk',
  observations: [
    { name: 'pos', shape: [1], kind: 'vector' },
    { name: 'clock', shape: [2], kind: 'vector' },
  ],
  actions: { continuous: 1, discrete: [3] },
  teamCount: 1,
  maxStep: 0,
};

export class Walker extends AIController {
  readonly behavior: BehaviorSpec;
  x = 0;
  begins = 0;
  heuristicCalls = 0;
  /** Discrete move the heuristic chooses. */
  move = 2;
  /** Actions of branch 0 masked at the next decisions. */
  masked: number[] = [];
  /** Every applied action as [discrete, continuous]. */
  readonly applied: number[][] = [];
  /** Reward added per applied action. */
  rewardPerAction = 0.5;

  constructor(options: AIControllerOptions = {}, spec: BehaviorSpec = WALK_SPEC) {
    super(options);
    this.behavior = spec;
  }

  override onEpisodeBegin(): void {
    this.x = 0;
    this.begins++;
  }

  collectObservations(obs: ObservationWriter): void {
    obs.add('pos', this.x);
    obs.add('clock', [this.stepCount, this.agentId]);
  }

  onActionReceived(action: AgentAction): void {
    this.applied.push([action.discrete[0]!, action.continuous[0]!]);
    if (action.discrete[0] === 1) this.x--;
    if (action.discrete[0] === 2) this.x++;
    this.addReward(this.rewardPerAction);
  }

  override writeDiscreteActionMask(mask: ActionMask): void {
    for (const m of this.masked) mask.setActionEnabled(0, m, false);
  }

  override heuristic(out: AgentAction): void {
    this.heuristicCalls++;
    out.discrete[0] = this.move;
    out.continuous[0] = 0.25;
  }
}

/** Walkers that end their episode at x >= goal; records parameters and steps. */
export function walkerGame(walkers: Walker[], goal = Infinity) {
  const parameters: Record<string, number>[] = [];
  let steps = 0;
  const game: GameInstance & { parameters: typeof parameters; readonly steps: number } = {
    agents: walkers,
    fixedDeltaTime: 0.02,
    step() {
      steps++;
      for (const w of walkers) if (w.x >= goal) w.endEpisode();
    },
    setParameters(p) {
      parameters.push({ ...p });
    },
    parameters,
    get steps() {
      return steps;
    },
  };
  return game;
}
