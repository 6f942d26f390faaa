import { describe, expect, it } from 'vitest';
import { SeededRandom } from '../../bridge/random/SeededRandom.js';
import type { BehaviorSpec } from '../../bridge/spec/BehaviorSpec.js';
import { Sync, type EpisodeEndInfo, type InProcessPolicy } from '../../bridge/sync/Sync.js';
import { BasicMove } from '../../sample-games/basic/sim.js';
import { findBuiltInGame } from '../../sample-games/registry.js';

/** Uniform random actions for every row, from a seeded generator. */
class RandomPolicy implements InProcessPolicy {
  private readonly rng: SeededRandom;
  constructor(seed: number) {
    this.rng = new SeededRandom(seed);
  }
  async decide(spec: BehaviorSpec, _obs: Float32Array[], _masks: Uint8Array | null, n: number) {
    const continuous = new Float32Array(n * spec.actions.continuous).map(() => this.rng.range(-1, 1));
    const B = spec.actions.discrete.length;
    const discrete = new Int32Array(n * B).map((_, i) => this.rng.int(spec.actions.discrete[i % B]!));
    return { continuous, discrete };
  }
}

const run = async (gameName: string, areas: number, steps: number, mode: 'human' | 'onnx', policy?: InProcessPolicy) => {
  const module = findBuiltInGame(gameName)!;
  const episodes: EpisodeEndInfo[] = [];
  const game = module.create({ areas, seed: 3, parameters: {} });
  const sync = new Sync({ game, gameName: module.name, mode, policy, areas, onEpisodeEnd: (e) => episodes.push(e) });
  await sync.run({ maxSteps: steps });
  sync.close();
  return episodes;
};

describe('built-in games under Sync', () => {
  it('3DBall in human mode: the heuristic balances whole episodes worth 100', async () => {
    const episodes = await run('3dball', 2, 5001, 'human');
    expect(episodes).toHaveLength(2);
    for (const e of episodes) {
      expect(e.behavior).toBe('3DBall');
      expect(e.steps).toBe(5000);
      expect(e.interrupted).toBe(true);
      expect(e.cumulativeReward).toBeCloseTo(100, 3);
    }
  });

  it('3DBall with a random in-process policy drops the ball within a few hundred steps', async () => {
    const episodes = await run('3dball', 4, 1500, 'onnx', new RandomPolicy(1));
    expect(episodes.length).toBeGreaterThan(10);
    expect(episodes.every((e) => !e.interrupted)).toBe(true);
    expect(episodes.reduce((s, e) => s + e.steps, 0) / episodes.length).toBeLessThan(300);
  });

  it('Basic in onnx mode with a policy that always goes right scores 0.93 in 7 steps', async () => {
    const right: InProcessPolicy = {
      decide: async (_spec, _obs, _masks, n) => ({ continuous: new Float32Array(0), discrete: new Int32Array(n).fill(BasicMove.right) }),
    };
    const episodes = await run('basic', 2, 15, 'onnx', right);
    expect(episodes).toHaveLength(4);
    for (const e of episodes) {
      expect(e.steps).toBe(7);
      expect(e.cumulativeReward).toBeCloseTo(0.93, 9);
      expect(e.interrupted).toBe(false);
    }
  });
});
