import type { AIController } from './AIController.js';

let nextGroupId = 1;

/**
 * A team of agents that share a group reward and can end their episode together
 * (ML-Agents' SimpleMultiAgentGroup). Group ids are unique per process and never 0
 * (0 on the wire means "no group").
 */
export class AgentGroup {
  readonly groupId = nextGroupId++;
  private readonly members = new Set<AIController>();

  /** Adds an agent; an agent belongs to at most one group. */
  registerAgent(agent: AIController): void {
    if (agent._group && agent._group !== this) {
      throw new Error(`agent ${agent.agentId} is already in group ${agent._group.groupId}; unregister it first`);
    }
    agent._group = this;
    this.members.add(agent);
  }

  /** Removes an agent from the group. */
  unregisterAgent(agent: AIController): void {
    if (this.members.delete(agent)) agent._group = null;
  }

  /** The members, in registration order. */
  get agents(): readonly AIController[] {
    return [...this.members];
  }

  /** Adds a reward shared by the whole group (reported per member as its group reward). */
  addGroupReward(r: number): void {
    this.checkReward(r);
    for (const a of this.members) a._groupReward += r;
  }

  /** Replaces the group reward accumulated since the members' last decision. */
  setGroupReward(r: number): void {
    this.checkReward(r);
    for (const a of this.members) a._groupReward = r;
  }

  /** Ends every member's episode (a real end). */
  endGroupEpisode(): void {
    for (const a of this.members) a.endEpisode();
  }

  /** Ends every member's episode because time ran out (the trainer bootstraps). */
  groupEpisodeInterrupted(): void {
    for (const a of this.members) a.episodeInterrupted();
  }

  private checkReward(r: number): void {
    if (!Number.isFinite(r)) throw new Error(`group ${this.groupId}: group reward ${r}; rewards must be finite numbers`);
  }
}
