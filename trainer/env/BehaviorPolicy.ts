/**
 * The contract between the EnvManager and whatever decides for one behavior (the PPO trainer's
 * policy, a random policy in tests, a ghost in self-play). The manager hides connections: rows of
 * every game arrive together, each agent named by a run-wide unique key.
 */
import type { BehaviorSpec } from '../../bridge/spec/BehaviorSpec.js';

/** Rows of agents of one behavior, gathered from every game that reported together. */
export interface AgentBatch {
  /** Run-wide unique id per (connection, behavior, agentId); stable across the agent's episodes. */
  agentKeys: Int32Array;
  /** One flat array per observation of the spec, `n x observationSize` floats, row-major. */
  obs: Float32Array[];
  /** Reward accumulated since the agent's previous report. */
  rewards: Float32Array;
  /** Run-wide unique group ids; 0 stays 0 (no group). */
  groupIds: Int32Array;
  /** Group reward accumulated since the agent's previous report. */
  groupRewards: Float32Array;
  /** Team of each agent, for self-play. */
  teamIds: Int32Array;
  /** Number of rows. */
  n: number;
}

/** Agents whose episode ended; `interrupted[i]` = 1 when it was cut by maxStep (bootstrap the value). */
export type TerminalBatch = AgentBatch & { interrupted: Uint8Array };

/** Agents that want an action; masks are `n x sum(branches)`, 1 = allowed, null without discrete branches. */
export type DecisionBatch = AgentBatch & { actionMasks: Uint8Array | null };

/** One action row per decision row: `n x continuous` floats and `n x branches` ints. */
export interface BatchActions {
  continuous: Float32Array;
  discrete: Int32Array;
}

/** Decides for one behavior over every connected game. Calls are never concurrent for one policy. */
export interface BehaviorPolicy {
  /** Receives every report of this behavior (terminals first, then decisions; rows of all games that arrived together), returns one action row per decision row. */
  step(terminals: TerminalBatch, decisions: DecisionBatch): Promise<BatchActions>;
  /** Agents whose game disconnected: their unfinished trajectories end here (discard or bootstrap, never mix up). */
  dropAgents(agentKeys: Int32Array): void;
}

/** Builds the policy of a behavior the first time a game declares it. */
export type BehaviorPolicyFactory = (spec: BehaviorSpec) => BehaviorPolicy;
