import type { BehaviorSpec } from '../../bridge/spec/BehaviorSpec.js';
import type { TrainerSettings } from '../config/schema.js';
import { createRewardSignals } from '../rewards/createRewardSignals.js';
import type { RewardSignal } from '../rewards/RewardSignal.js';
import { PpoOptimizer } from './PpoOptimizer.js';

/** A behavior's networks: the policy and critic with their optimiser, and the reward signals. */
export interface PpoLearnerParts {
  optimizer: PpoOptimizer;
  rewardSignals: RewardSignal[];
}

/**
 * Builds a behavior's networks from its settings and seed. The trainer and its learner thread
 * both call it, so the thread's copies have the same shapes and variable order.
 */
export function createPpoLearner(spec: BehaviorSpec, settings: TrainerSettings, seed: number): PpoLearnerParts {
  const rewardSignals = createRewardSignals(spec.name, settings.reward_signals, { spec, seed });
  const optimizer = new PpoOptimizer({
    spec,
    network: settings.network_settings,
    rewardSignals: rewardSignals.map((s) => s.name),
    sharedCritic: settings.hyperparameters.shared_critic,
    seed,
  });
  return { optimizer, rewardSignals };
}
