import type { Trajectory } from '../trajectory/Trajectory.js';

/**
 * A source of reward for the learner (ML-Agents' reward signals). Each signal has its own value
 * head, discount and returns; the policy's advantage is the sum of the signals' advantages.
 */
export interface RewardSignal {
  /** Config key and value-head name: 'extrinsic', 'curiosity', 'rnd'. */
  readonly name: string;
  readonly gamma: number;
  readonly strength: number;
  /** Reward per step of the trajectory, already scaled by strength. */
  evaluate(trajectory: Trajectory): Float32Array;
}

/** 'extrinsic' -> 'Extrinsic', as ML-Agents capitalises signal names in its stat tags. */
export function signalTitle(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}
