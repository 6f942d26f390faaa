import type { StateScope } from '../networks/ActorCritic.js';
import type { Trajectory } from '../trajectory/Trajectory.js';

/** A column of the update buffer: rows of `width` values, flat and row-major. */
export type RewardSignalColumnData = Float32Array | Int32Array | Uint8Array;

/** An update-buffer column a signal adds next to the trainer's own (e.g. next observations). */
export interface RewardSignalColumn {
  readonly name: string;
  readonly ctor: Float32ArrayConstructor | Int32ArrayConstructor | Uint8ArrayConstructor;
  /** Values per row. */
  readonly width: number;
}

/**
 * One PPO minibatch as a signal's `update` sees it: the trainer's columns, `obs<k>` (one per
 * observation of the spec), `continuousRaw` (n x C raw action samples), `discrete`
 * (n x branches), `actionMasks`, plus every column the signals declared. Values are views, valid
 * during the call only.
 */
export type RewardSignalMinibatch = Record<string, RewardSignalColumnData>;

/**
 * A source of reward for the learner (ML-Agents' reward signals). Each signal has its own value
 * head, discount and returns; the policy's advantage is the sum of the signals' advantages.
 * Signals with networks (curiosity, RND) also learn: the trainer stores their columns with each
 * trajectory and calls `update` once per PPO minibatch, on the same minibatch, as ML-Agents'
 * `update_reward_signals`.
 */
export interface RewardSignal {
  /** Config key and value-head name: 'extrinsic', 'curiosity', 'rnd'. */
  readonly name: string;
  readonly gamma: number;
  readonly strength: number;
  /**
   * ML-Agents' `ignore_done`: a true episode end does not stop this signal's returns (the value
   * of the last observation is bootstrapped), as for intrinsic rewards, which do not end with the
   * episode. Absent means false.
   */
  readonly ignoreDone?: boolean;
  /** Extra update-buffer columns this signal's `update` reads; names must not clash with the trainer's. */
  readonly columns?: readonly RewardSignalColumn[];
  /** Reward per step of the trajectory, already scaled by strength. */
  evaluate(trajectory: Trajectory): Float32Array;
  /** The values of `columns` for a trajectory, length x width each. */
  columnsFor?(trajectory: Trajectory): Record<string, RewardSignalColumnData>;
  /** Trains the signal's networks on one minibatch of n rows; returns loss stats by ML-Agents tag. */
  update?(minibatch: RewardSignalMinibatch, n: number): Record<string, number>;
  /** Networks, optimiser and counters for checkpoints; absent for stateless signals. */
  getState?(): RewardSignalState;
  /** Restores a getState(); `where` names the checkpoint field in errors. */
  setState?(state: RewardSignalState, where: string, scope?: StateScope): void;
  /** Frees the signal's tensors. */
  dispose?(): void;
}

/** A learning signal's checkpoint: plain typed arrays plus JSON-able metadata. */
export interface RewardSignalState {
  format: 'three-rl-agents/reward-signal';
  version: 1;
  /** The signal's name, checked on restore. */
  signal: string;
  /** Every variable of the signal's networks, in the signal's fixed order. */
  weights: Float32Array[];
  /** The predictor's (RND) or the model's (ICM) Adam moments. */
  adam: { step: number; m: Float32Array[]; v: Float32Array[] };
  /** Observation normaliser, when network_settings.normalize is on. */
  normalizer: { steps: number; mean: Float64Array; variance: Float64Array } | null;
  /** Signal-specific counters (curiosity: whether it has updated yet). */
  counters: Record<string, number>;
}

/** 'extrinsic' -> 'Extrinsic', as ML-Agents capitalises signal names in its stat tags. */
export function signalTitle(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}
