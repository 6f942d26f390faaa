import { afterAll, describe, expect, it } from 'vitest';
import { OnnxPolicy } from '../../bridge/inference/OnnxPolicy.js';
import { SeededRandom } from '../../bridge/random/SeededRandom.js';
import type { BehaviorSpec } from '../../bridge/spec/BehaviorSpec.js';
import { randomMasks, randomObs } from './testPolicies.js';
import { MLAGENTS_FIXTURES } from '../fixtures/mlagentsFixtures.js';

const FIXTURES = MLAGENTS_FIXTURES;

/** The three real ML-Agents policies and their signatures (fixtures README, read with the onnx package). */
const models = [
  { file: 'xenjin450_Pyramids.onnx', obs: [56, 56, 56, 4], branches: [5] },
  { file: 'xenjin450_SnowballTarget.onnx', obs: [27, 99, 99, 3, 132], branches: [3, 3, 2] },
  { file: 'CarterSullivan_asdff_SoccerTwos.onnx', obs: [264, 72], branches: [3, 3, 3] },
];

function specFor(name: string, obs: number[], branches: number[]): BehaviorSpec {
  return {
    name,
    observations: obs.map((size, i) => ({ name: `sensor${i}`, shape: [size], kind: 'rays' as const })),
    actions: { continuous: 0, discrete: branches },
    teamCount: 1,
    maxStep: 0,
  };
}

describe("ML-Agents' own models run in OnnxPolicy", () => {
  const loaded: OnnxPolicy[] = [];
  afterAll(async () => {
    for (const p of loaded) await p.dispose();
  });

  for (const m of models) {
    for (const runtime of ['node', 'web'] as const) {
      it(`${m.file} on onnxruntime-${runtime}: signature read, actions in range, masked actions never chosen`, async () => {
        const spec = specFor(m.file, m.obs, m.branches);
        const policy = await OnnxPolicy.load(`${FIXTURES}/${m.file}`, { runtime, behavior: spec, wasmThreads: 1 });
        loaded.push(policy);
        expect(policy.runtime).toBe(runtime);
        const sig = policy.signature;
        expect(sig.apiVersion).toBe(3);
        expect(sig.observations.map((o) => o.size)).toEqual(m.obs);
        expect(sig.observations.map((o) => o.name)).toEqual(m.obs.map(() => null));
        expect(sig.branchSizes).toEqual(m.branches);
        expect(sig.continuousSize).toBe(0);
        expect(sig.header.producerName).toBe('pytorch');
        expect(sig.header.threeRl).toBeNull();

        const n = 16;
        const rng = new SeededRandom(7);
        const obs = randomObs(spec, n, rng, 0, 1);
        const masks = randomMasks(spec, n, rng);
        const B = m.branches.length;
        const K = m.branches.reduce((a, b) => a + b, 0);
        for (const deterministic of [true, false]) {
          policy.deterministic = deterministic;
          for (let round = 0; round < 5; round++) {
            const { continuous, discrete } = await policy.decide(spec, obs, masks, n);
            expect(continuous).toHaveLength(0);
            expect(discrete).toHaveLength(n * B);
            for (let i = 0; i < n; i++) {
              let off = 0;
              m.branches.forEach((k, b) => {
                const a = discrete[i * B + b]!;
                expect(a >= 0 && a < k).toBe(true);
                expect(masks[i * K + off + a]).toBe(1);
                off += k;
              });
            }
          }
        }
        // Deterministic actions repeat; the same rows with all actions allowed still decide.
        policy.deterministic = true;
        const a = await policy.decide(spec, obs, null, n);
        const b = await policy.decide(spec, obs, null, n);
        expect(Array.from(a.discrete)).toEqual(Array.from(b.discrete));
      });
    }
  }

  it('refuses a behavior that does not fit, listing the model and the behavior signatures', async () => {
    const policy = await OnnxPolicy.load(`${FIXTURES}/xenjin450_Pyramids.onnx`);
    loaded.push(policy);
    // Pyramids with its vector sensor first: right sizes in the wrong order.
    const vectorFirst: BehaviorSpec = {
      name: 'Pyramids',
      observations: [
        { name: 'switch_and_velocity', shape: [4], kind: 'vector' },
        { name: 'rays_a', shape: [56], kind: 'rays' },
        { name: 'rays_b', shape: [56], kind: 'rays' },
        { name: 'rays_c', shape: [56], kind: 'rays' },
      ],
      actions: { continuous: 0, discrete: [5] },
      teamCount: 1,
      maxStep: 5000,
    };
    let message = '';
    try {
      policy.checkBehavior(vectorFirst);
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toContain("does not fit behavior 'Pyramids'");
    expect(message).toContain("obs_0 takes 56 floats but observation 'switch_and_velocity' has 4");
    expect(message).toContain('model:    obs_0 [56], obs_1 [56], obs_2 [56], obs_3 [4], action_masks [5] -> discrete [5]');
    expect(message).toContain("behavior: 'switch_and_velocity' [4], 'rays_a' [56], 'rays_b' [56], 'rays_c' [56] -> discrete [5]");
    const obs = vectorFirst.observations.map((o) => new Float32Array(o.shape[0]!));
    await expect(policy.decide(vectorFirst, obs, null, 1)).rejects.toThrow(/does not fit behavior 'Pyramids'/);

    const continuous: BehaviorSpec = { ...specFor('Ball', [56, 56, 56, 4], []), actions: { continuous: 2, discrete: [] } };
    expect(() => policy.checkBehavior(continuous)).toThrow(/gives 0 continuous action\(s\), the behavior expects 2; the model's discrete branches are \[5\], the behavior's \[\]/);
    await expect(OnnxPolicy.load(`${FIXTURES}/xenjin450_Pyramids.onnx`, { behavior: continuous })).rejects.toThrow(/model:.*\n.*behavior:/);
  });
});
