import type { RewardSignals } from '../config/schema.js';
import { ExtrinsicRewardSignal } from './ExtrinsicRewardSignal.js';
import type { RewardSignal } from './RewardSignal.js';

/**
 * The reward signals a behavior's config asks for, in a fixed order (extrinsic first) so that
 * value heads and checkpoints line up run after run.
 */
export function createRewardSignals(behavior: string, config: RewardSignals): RewardSignal[] {
  const signals: RewardSignal[] = [];
  if (config.extrinsic) signals.push(new ExtrinsicRewardSignal(config.extrinsic.gamma, config.extrinsic.strength));
  for (const name of ['curiosity', 'rnd', 'gail'] as const) {
    if (config[name]) {
      throw new Error(
        `behaviors.${behavior}.reward_signals.${name}: this version of three-rl-agents trains with the extrinsic signal only; remove '${name}' from the config for now`,
      );
    }
  }
  return signals;
}
