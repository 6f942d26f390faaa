import type { Trajectory } from '../trajectory/Trajectory.js';
import type { RewardSignal } from './RewardSignal.js';

/**
 * The game's own reward. Group rewards are added to each member's reward, as ML-Agents'
 * extrinsic signal does for trainers without a centralised critic.
 */
export class ExtrinsicRewardSignal implements RewardSignal {
  readonly name = 'extrinsic';

  constructor(
    readonly gamma: number,
    readonly strength: number,
  ) {}

  evaluate(t: Trajectory): Float32Array {
    const out = new Float32Array(t.length);
    for (let i = 0; i < t.length; i++) out[i] = (t.rewards[i]! + t.groupRewards[i]!) * this.strength;
    return out;
  }
}
