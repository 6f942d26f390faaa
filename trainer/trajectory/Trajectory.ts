/**
 * A piece of one agent's experience, cut at `time_horizon` or at the end of an episode
 * (ML-Agents' Trajectory). Rows are steps; every column is flat and row-major.
 */
export interface Trajectory {
  readonly agentKey: number;
  readonly length: number;
  /** One column per observation of the spec: length x observationSize. */
  readonly obs: Float32Array[];
  /** Observations after the last step, for bootstrapping: one row per observation. */
  readonly nextObs: Float32Array[];
  /** length x continuous, the raw (unclipped) samples whose log probs were stored. */
  readonly continuousRaw: Float32Array;
  /** length x branches. */
  readonly discrete: Int32Array;
  /** length x (log prob columns of the policy). */
  readonly logProbs: Float32Array;
  /** length x sum(branches), or null without discrete branches. */
  readonly actionMasks: Uint8Array | null;
  /** Individual reward received after each step. */
  readonly rewards: Float32Array;
  /** Group reward received after each step. */
  readonly groupRewards: Float32Array;
  /** The episode ended at the last step (truly or by interruption). */
  readonly doneReached: boolean;
  /** The end was an interruption (max step): the value of nextObs is bootstrapped. */
  readonly interrupted: boolean;
}
