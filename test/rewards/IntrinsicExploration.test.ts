import { beforeAll, describe, expect, it } from 'vitest';
import { SeededRandom } from '../../bridge/random/SeededRandom.js';
import { selectBackend } from '../../trainer/backend/selectBackend.js';
import { defaultTrainerSettings, RewardSignalsSchema } from '../../trainer/config/schema.js';
import { PpoOptimizer } from '../../trainer/ppo/PpoOptimizer.js';
import { PpoTrainer } from '../../trainer/ppo/PpoTrainer.js';
import { createRewardSignals } from '../../trainer/rewards/createRewardSignals.js';
import { SparseCorridor } from './SparseCorridor.js';

const BUDGET = 45_000;
// The outcome is judged on the episodes of the last steps, once the policy has settled.
const LAST = 10_000;

interface Outcome {
  /** Far goals over all episodes of the run. */
  goals: number;
  /** Shares of the episodes ended in the last LAST steps. */
  lateGoalRate: number;
  lateDecoyRate: number;
  stats: Record<string, number[]>;
}

/** PPO on a 40-cell corridor with a 0.1 decoy 5 cells behind the start; same seeds and budget for every config. */
async function train(signalsConfig: Record<string, unknown>): Promise<Outcome> {
  const seed = 4;
  const env = new SparseCorridor({ agents: 16, length: 40, maxSteps: 100, start: 5, decoyReward: 0.1 });
  const settings = defaultTrainerSettings();
  settings.max_steps = BUDGET;
  settings.time_horizon = 64;
  Object.assign(settings.hyperparameters, {
    buffer_size: 1024,
    batch_size: 256,
    beta: 0.01,
    learning_rate_schedule: 'constant',
    beta_schedule: 'constant',
    epsilon_schedule: 'constant',
  });
  settings.network_settings.hidden_units = 64;
  const signals = createRewardSignals(env.spec.name, RewardSignalsSchema.parse(signalsConfig), { spec: env.spec, seed });
  const optimizer = new PpoOptimizer({ spec: env.spec, network: settings.network_settings, rewardSignals: signals.map((s) => s.name), seed });
  const stats: Record<string, number[]> = {};
  const trainer = new PpoTrainer(env.spec, settings, optimizer, signals, { add: (k, v) => (stats[k] ??= []).push(v) }, new SeededRandom(seed + 1));
  let mark: { episodes: number; goals: number; decoys: number } | null = null;
  trainer.onStep = (step) => {
    if (!mark && step >= BUDGET - LAST) mark = { episodes: env.episodes, goals: env.goals, decoys: env.decoys };
  };
  try {
    let report = env.start();
    while (trainer.shouldStillTrain) {
      const out = await trainer.step(report.terminals, report.decisions);
      report = env.step(out.discrete);
    }
  } finally {
    trainer.dispose();
    optimizer.dispose();
  }
  const m = mark as { episodes: number; goals: number; decoys: number } | null;
  if (!m) throw new Error('the run ended before its last steps were marked');
  const late = Math.max(1, env.episodes - m.episodes);
  return { goals: env.goals, lateGoalRate: (env.goals - m.goals) / late, lateDecoyRate: (env.decoys - m.decoys) / late, stats };
}

describe('intrinsic rewards on a sparse corridor', () => {
  beforeAll(async () => {
    await selectBackend('wasm');
  });

  it('RND (PyramidsRND strength 0.01, normalised) finds and keeps the far goal; extrinsic-only PPO settles on the decoy', async () => {
    const extrinsic = { gamma: 0.99, strength: 1 };
    const withRnd = await train({
      extrinsic,
      rnd: { gamma: 0.99, strength: 0.01, learning_rate: 3e-4, network_settings: { hidden_units: 64, num_layers: 2, normalize: true } },
    });
    const alone = await train({ extrinsic });

    expect(withRnd.lateGoalRate).toBeGreaterThan(0.8);
    // Extrinsic-only PPO does learn, just not to explore: it takes the decoy nearly every time.
    expect(alone.goals).toBe(0);
    expect(alone.lateDecoyRate).toBeGreaterThan(0.9);

    const rndRewards = withRnd.stats['Policy/Rnd Reward']!;
    expect(rndRewards.length).toBeGreaterThan(100);
    expect(rndRewards.every((r) => Number.isFinite(r) && r >= 0)).toBe(true);
    expect(withRnd.stats['Losses/RND Loss']!.every(Number.isFinite)).toBe(true);
    expect(withRnd.stats['Policy/Rnd Value Estimate']!.length).toBeGreaterThan(0);
    expect(alone.stats['Policy/Rnd Reward']).toBeUndefined();
  });
});
