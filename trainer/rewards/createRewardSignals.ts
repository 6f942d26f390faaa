import type { BehaviorSpec } from '../../bridge/spec/BehaviorSpec.js';
import type { RewardSignals } from '../config/schema.js';
import { CuriosityRewardSignal } from './CuriosityRewardSignal.js';
import { ExtrinsicRewardSignal } from './ExtrinsicRewardSignal.js';
import { RndRewardSignal } from './RndRewardSignal.js';
import type { RewardSignal } from './RewardSignal.js';

/** What signals with networks are built from: the behavior's spec and the run's seed. */
export interface RewardSignalContext {
  spec: BehaviorSpec;
  seed: number;
}

// Each signal's weights get their own stream, apart from the policy's (seeded with the run seed).
const SEED_OFFSETS = { curiosity: 0x1c0ffee, rnd: 0x2badd0e } as const;

/**
 * The reward signals a behavior's config asks for, in a fixed order (extrinsic, curiosity, rnd)
 * so that value heads and checkpoints line up run after run. Curiosity and RND need `context`.
 */
export function createRewardSignals(behavior: string, config: RewardSignals, context?: RewardSignalContext): RewardSignal[] {
  const signals: RewardSignal[] = [];
  if (config.extrinsic) signals.push(new ExtrinsicRewardSignal(config.extrinsic.gamma, config.extrinsic.strength));
  if (config.gail) {
    throw new Error(`behaviors.${behavior}.reward_signals.gail: GAIL is not supported by this version of three-rl-agents; remove 'gail' from the config`);
  }
  for (const name of ['curiosity', 'rnd'] as const) {
    const settings = config[name];
    if (!settings) continue;
    if (!context) {
      throw new Error(`behaviors.${behavior}.reward_signals.${name}: building this signal needs the behavior spec and the run seed; pass createRewardSignals(behavior, config, { spec, seed })`);
    }
    if (settings.network_settings.memory) {
      throw new Error(`behaviors.${behavior}.reward_signals.${name}.network_settings.memory: recurrent reward signal networks are not supported; remove memory or set it to null`);
    }
    const seed = (context.seed + SEED_OFFSETS[name]) | 0;
    signals.push(name === 'curiosity' ? new CuriosityRewardSignal(context.spec, settings, seed) : new RndRewardSignal(context.spec, config.rnd!, seed));
  }
  return signals;
}
