/**
 * The messages of the sync protocol (version 1). `bridge/PROTOCOL.md` documents them for people
 * writing a game client in another engine; this file is the source of truth for TypeScript.
 */
import type { BehaviorSpec } from '../spec/BehaviorSpec.js';

/** What the trainer asks a game to do. */
export type SyncMode = 'train' | 'inference';

/** Agents of one behavior at one step. Row i of every array belongs to agentIds[i]. */
export interface AgentSet {
  agentIds: Int32Array;
  /** One flat Float32Array per observation of the behavior spec, n x observationSize rows. */
  obs: Float32Array[];
  /** Reward accumulated since the agent's previous decision (individual reward only). */
  rewards: Float32Array;
  /** Group of each agent (0 = no group). */
  groupIds: Int32Array;
  /** Group reward accumulated since the previous decision. */
  groupRewards: Float32Array;
  /** Team of each agent, for self-play (0 when there is one team). */
  teamIds: Int32Array;
}

/** Agents that want an action now. */
export interface DecisionSet extends AgentSet {
  /** n x sum(discrete branches), 1 = allowed, 0 = masked. Present only with discrete branches. */
  actionMasks?: Uint8Array;
}

/** Agents whose episode ended since the last exchange. */
export interface TerminalSet extends AgentSet {
  /** 1 when the episode was cut by maxStep (bootstrap the value), 0 for a real end. */
  interrupted: Uint8Array;
}

export interface BehaviorSteps {
  decisions: DecisionSet;
  terminals: TerminalSet;
}

export interface HelloMessage {
  type: 'hello';
  protocol: string;
  game: string;
  instanceId: string;
  behaviors: BehaviorSpec[];
  areas: number;
  capabilities: string[];
  token?: string;
}

export interface WelcomeMessage {
  type: 'welcome';
  protocol: string;
  seed: number;
  timeScale: number;
  /** Overrides the agents' own decision period when not null. */
  decisionPeriod: number | null;
  parameters: Record<string, number>;
  mode: SyncMode;
}

export interface StepsMessage {
  type: 'steps';
  behaviors: Record<string, BehaviorSteps>;
  /** Custom statistics from the game, averaged by the trainer per summary period. */
  stats?: Record<string, number>;
}

export interface BehaviorActions {
  agentIds: Int32Array;
  /** n x continuous, row-major. */
  continuous: Float32Array;
  /** n x branches, row-major. */
  discrete: Int32Array;
}

export interface ActionsMessage {
  type: 'actions';
  behaviors: Record<string, BehaviorActions>;
}

export interface ResetMessage {
  type: 'reset';
  parameters?: Record<string, number>;
}

export interface ParametersMessage {
  type: 'parameters';
  parameters: Record<string, number>;
}

export interface CloseMessage {
  type: 'close';
  reason?: string;
}

/** Error codes; `field` names the offending field when there is one. */
export type ErrorCode =
  | 'malformed'
  | 'unknown_type'
  | 'invalid_field'
  | 'version_mismatch'
  | 'unauthorized'
  | 'frame_too_large'
  | 'unexpected_message'
  | 'internal';

export interface ErrorMessage {
  type: 'error';
  code: ErrorCode;
  message: string;
  field?: string;
}

export type GameToTrainerMessage = HelloMessage | StepsMessage | CloseMessage | ErrorMessage;
export type TrainerToGameMessage =
  | WelcomeMessage
  | ActionsMessage
  | ResetMessage
  | ParametersMessage
  | CloseMessage
  | ErrorMessage;
export type Message = GameToTrainerMessage | TrainerToGameMessage;
export type MessageType = Message['type'];
