import type { BehaviorSpec } from '../spec/BehaviorSpec.js';
import { emptyAction, type AgentAction } from './AgentAction.js';
import type { ActionMask } from './ActionMask.js';
import type { ObservationWriter } from './ObservationWriter.js';
import type { AgentGroup } from './AgentGroup.js';

/** How an agent's actions are decided. `remote` = the trainer, `policy` = an in-game model, `heuristic` = a human. */
export type DecisionSource = 'remote' | 'policy' | 'heuristic';

/** Options of an AIController, in the spirit of ML-Agents' BehaviorParameters + DecisionRequester. */
export interface AIControllerOptions {
  /** Team for self-play (0 when the behavior has one team). */
  teamId?: number;
  /** Steps between decisions, counted on the game's clock (ML-Agents' DecisionRequester); the last action is repeated in between. Default 1. */
  decisionPeriod?: number;
  /** Repeat the last action on steps between decisions (ML-Agents' TakeActionsBetweenDecisions). Default true. */
  takeActionsBetweenDecisions?: boolean;
  /** Overrides the behavior's maxStep for this agent. */
  maxStep?: number;
}

/**
 * The class a game developer extends to make an agent: it observes, acts and is rewarded.
 * A `Sync` steps it; the game calls `addReward`, `setReward` and `endEpisode` from its rules.
 */
export abstract class AIController {
  /** The spec this agent's behavior declares; agents of one behavior share one spec object. */
  abstract readonly behavior: BehaviorSpec;

  readonly teamId: number;
  decisionPeriod: number;
  readonly takeActionsBetweenDecisions: boolean;
  private readonly maxStepOverride: number | undefined;

  // Internal state read and written by Sync; not part of the game-facing API.
  /** @internal */ _agentId = -1;
  /** @internal */ _reward = 0;
  /** @internal */ _groupReward = 0;
  /** @internal */ _cumulativeReward = 0;
  /** @internal */ _stepCount = 0;
  /** @internal */ _episodeCount = 0;
  /** @internal */ _done = false;
  /** @internal */ _interrupted = false;
  /** @internal */ _action: AgentAction | null = null;
  /** @internal */ _group: AgentGroup | null = null;
  /** @internal */ _decisionSource: DecisionSource | null = null;

  constructor(options: AIControllerOptions = {}) {
    this.teamId = options.teamId ?? 0;
    this.decisionPeriod = options.decisionPeriod ?? 1;
    this.takeActionsBetweenDecisions = options.takeActionsBetweenDecisions ?? true;
    this.maxStepOverride = options.maxStep;
    if (!Number.isInteger(this.decisionPeriod) || this.decisionPeriod < 1) {
      throw new Error(`AIController: decisionPeriod must be an integer >= 1, got ${options.decisionPeriod}`);
    }
  }

  // ---- hooks the game developer implements ----

  /** Called at the start of every episode, before the first observation: put the agent back. */
  onEpisodeBegin(): void {}

  /** Writes this agent's observations by name (every observation of the spec, fully). */
  abstract collectObservations(obs: ObservationWriter): void;

  /** Applies an action; called every step (the last decision's action is repeated in between). */
  abstract onActionReceived(action: AgentAction): void;

  /** Masks discrete actions that are not allowed for the next decision. */
  writeDiscreteActionMask(_mask: ActionMask): void {}

  /** Human control: fill `out` from the keyboard, mouse or a script. Default: do nothing. */
  heuristic(_out: AgentAction): void {}

  // ---- API the game's rules call ----

  /** Adds to the reward of the current step. */
  addReward(r: number): void {
    this.checkReward('addReward', r);
    this._reward += r;
    this._cumulativeReward += r;
  }

  /** Replaces the reward accumulated since the last decision. */
  setReward(r: number): void {
    this.checkReward('setReward', r);
    this._cumulativeReward += r - this._reward;
    this._reward = r;
  }

  /** Ends the episode: a real end (no value bootstrap). The agent restarts on the next step. */
  endEpisode(): void {
    this._done = true;
    this._interrupted = false;
  }

  /** Ends the episode because time ran out, not because of the task (the trainer bootstraps). */
  episodeInterrupted(): void {
    this._done = true;
    this._interrupted = true;
  }

  /** Id given by the Sync this agent is registered with (-1 before). */
  get agentId(): number {
    return this._agentId;
  }

  /** Steps taken in the current episode. */
  get stepCount(): number {
    return this._stepCount;
  }

  /** Sum of individual rewards in the current episode. */
  get cumulativeReward(): number {
    return this._cumulativeReward;
  }

  /** Episodes completed by this agent. */
  get completedEpisodes(): number {
    return this._episodeCount;
  }

  /** The group this agent belongs to, if any. */
  get group(): AgentGroup | null {
    return this._group;
  }

  /** Steps before the episode is interrupted; 0 = no limit. */
  get maxStep(): number {
    return this.maxStepOverride ?? this.behavior.maxStep;
  }

  /** The action applied on the current step (zeros before the first decision). */
  get currentAction(): AgentAction {
    return (this._action ??= emptyAction(this.behavior.actions));
  }

  private checkReward(fn: string, r: number): void {
    if (!Number.isFinite(r)) {
      throw new Error(`${this.behavior.name} agent ${this._agentId}: ${fn}(${r}); rewards must be finite numbers`);
    }
  }
}
