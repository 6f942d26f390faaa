/**
 * Steps a game through its AIController hooks the way Sync does in train mode (shared API
 * section (2)), deciding in-process, so the games can be tested before and without a trainer:
 * done agents report a terminal and restart, agents on a decision step report and get an action,
 * every agent applies its action, the game steps, step counts advance and maxStep interrupts.
 */
import type { AIController } from '../../bridge/agent/AIController.js';
import { emptyAction, type AgentAction } from '../../bridge/agent/AgentAction.js';
import { ObservationWriter } from '../../bridge/agent/ObservationWriter.js';
import type { GameInstance } from '../../bridge/game/GameModule.js';

/** Chooses an action for an agent from its observations (writes into `out`). */
export type DecideFn = (agent: AIController, obs: readonly Float32Array[], out: AgentAction) => void;

/** One report of one agent, as it would go on the wire. */
export interface Report {
  step: number;
  agent: number;
  kind: 'decision' | 'terminal';
  obs: number[];
  reward: number;
  interrupted: boolean;
}

/** One finished episode. */
export interface Episode {
  agent: number;
  steps: number;
  reward: number;
  interrupted: boolean;
}

export class LockstepDriver {
  readonly reports: Report[] = [];
  readonly episodes: Episode[] = [];
  private stepIndex = 0;
  private readonly writers = new Map<AIController, ObservationWriter>();

  constructor(
    readonly game: GameInstance,
    private readonly decide: DecideFn,
  ) {
    game.agents.forEach((agent, i) => {
      agent._agentId = i;
      agent.onEpisodeBegin();
    });
  }

  /** One fixed step of the whole scene. */
  step(): void {
    for (const agent of this.game.agents) {
      if (agent._done) {
        this.report(agent, 'terminal');
        this.episodes.push({
          agent: agent.agentId,
          steps: agent._stepCount,
          reward: agent._cumulativeReward,
          interrupted: agent._interrupted,
        });
        agent._done = false;
        agent._interrupted = false;
        agent._stepCount = 0;
        agent._cumulativeReward = 0;
        agent._episodeCount++;
        agent.onEpisodeBegin();
      }
      if (agent._stepCount % agent.decisionPeriod === 0) {
        const obs = this.report(agent, 'decision');
        const action = emptyAction(agent.behavior.actions);
        this.decide(agent, obs, action);
        agent._action = action;
      }
    }
    for (const agent of this.game.agents) {
      if (agent.takeActionsBetweenDecisions || agent._stepCount % agent.decisionPeriod === 0) {
        agent.onActionReceived(agent.currentAction);
      }
    }
    this.game.step();
    for (const agent of this.game.agents) {
      agent._stepCount++;
      if (agent.maxStep > 0 && agent._stepCount >= agent.maxStep && !agent._done) agent.episodeInterrupted();
    }
    this.stepIndex++;
  }

  /** Steps `n` times. */
  run(n: number): this {
    for (let i = 0; i < n; i++) this.step();
    return this;
  }

  private report(agent: AIController, kind: Report['kind']): Float32Array[] {
    let writer = this.writers.get(agent);
    if (!writer) this.writers.set(agent, (writer = new ObservationWriter(agent.behavior)));
    writer.reset();
    agent.collectObservations(writer);
    writer.checkComplete();
    this.reports.push({
      step: this.stepIndex,
      agent: agent.agentId,
      kind,
      obs: writer.buffers.flatMap((b) => Array.from(b)),
      reward: agent._reward,
      interrupted: kind === 'terminal' && agent._interrupted,
    });
    agent._reward = 0;
    return writer.buffers;
  }
}

/** Decides with each agent's own `heuristic()`. */
export const heuristicDecisions: DecideFn = (agent, _obs, out) => agent.heuristic(out);
