import * as ortNode from 'onnxruntime-node';
import * as ortWeb from 'onnxruntime-web';
import { beforeAll, describe, expect, it } from 'vitest';
import { TensorNames } from '../../bridge/inference/ModelContract.js';
import { SeededRandom } from '../../bridge/random/SeededRandom.js';
import type { BehaviorSpec } from '../../bridge/spec/BehaviorSpec.js';
import { buildPolicyModel, PolicyGraphNames } from '../../onnx-export/PolicyModel.js';
import { selectBackend } from '../../trainer/backend/selectBackend.js';
import type { ActorCritic } from '../../trainer/networks/ActorCritic.js';
import { exposeOutputs } from './onnxModelEdits.js';
import { continuousSpec, discreteSpec, hybridSpec, randomMasks, randomObs, trainedLookingPolicy, trainerProbabilities } from './testPolicies.js';

type Ort = typeof ortNode | typeof ortWeb;

const N = 64;

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

async function runExported(ort: Ort, bytes: Uint8Array, spec: BehaviorSpec, obs: Float32Array[], masks: Uint8Array | null, level: 'disabled' | 'all') {
  const session = await (ort.InferenceSession as typeof ortWeb.InferenceSession).create(bytes, { graphOptimizationLevel: level });
  const feeds: Record<string, ortWeb.Tensor> = {};
  spec.observations.forEach((o, i) => (feeds[`obs_${i}`] = new ort.Tensor('float32', obs[i]!, [N, ...o.shape]) as ortWeb.Tensor));
  if (spec.actions.discrete.length > 0) {
    const width = spec.actions.discrete.reduce((a, b) => a + b, 0);
    feeds[TensorNames.actionMasks] = new ort.Tensor('float32', masks ? Float32Array.from(masks) : new Float32Array(N * width).fill(1), [N, width]) as ortWeb.Tensor;
  }
  const out = await session.run(feeds);
  await session.release();
  return out;
}

/** Exports `net`, runs it with both runtimes and both optimisation levels, and compares with the trainer. */
async function checkParity(net: ActorCritic, masked: boolean, seed: number): Promise<{ continuous: number; probs: number }> {
  const spec = net.spec;
  const rng = new SeededRandom(seed);
  // Shifted, wide inputs: the normaliser (and its clip at +-5) matters.
  const obs = randomObs(spec, N, rng, -4, 10);
  const masks = masked && spec.actions.discrete.length > 0 ? randomMasks(spec, N, rng) : null;
  const probNames = spec.actions.discrete.map((_, b) => PolicyGraphNames.discreteProbs(b));
  const bytes = exposeOutputs(buildPolicyModel(net.describe(), spec, { trainerStep: 1, version: 'test' }), probNames);
  const expected = net.act(obs, masks, N, true);
  const expectedProbs = spec.actions.discrete.length > 0 ? trainerProbabilities(net, obs, masks, N) : null;
  let worstContinuous = 0;
  let worstProbs = 0;
  for (const ort of [ortNode, ortWeb] as Ort[]) {
    for (const level of ['disabled', 'all'] as const) {
      const out = await runExported(ort, bytes, spec, obs, masks, level);
      if (spec.actions.continuous > 0) {
        worstContinuous = Math.max(worstContinuous, maxAbsDiff(out[TensorNames.deterministicContinuousActions]!.data as Float32Array, expected.continuousClipped));
      }
      if (spec.actions.discrete.length > 0) {
        const greedy = Array.from(out[TensorNames.deterministicDiscreteActions]!.data as BigInt64Array, Number);
        expect(greedy).toEqual(Array.from(expected.discrete));
        const K = net.maskWidth;
        let off = 0;
        spec.actions.discrete.forEach((k, b) => {
          const p = out[probNames[b]!]!.data as Float32Array;
          for (let i = 0; i < N; i++) {
            for (let j = 0; j < k; j++) worstProbs = Math.max(worstProbs, Math.abs(p[i * k + j]! - expectedProbs![i * K + off + j]!));
          }
          off += k;
        });
      }
    }
  }
  return { continuous: worstContinuous, probs: worstProbs };
}

describe('exported ONNX policies compute what the trainer computes', () => {
  beforeAll(async () => {
    await selectBackend('wasm');
    ortWeb.env.wasm.numThreads = 1;
  });

  const cases: [string, BehaviorSpec][] = [
    ['discrete', discreteSpec],
    ['continuous', continuousSpec],
    ['hybrid', hybridSpec],
  ];
  for (const [label, spec] of cases) {
    for (const normalize of [false, true]) {
      it(`${label}, normalize ${normalize}: deterministic actions and probabilities within 1e-5 (node + web, optimisation off and on)`, async () => {
        const net = trainedLookingPolicy(spec, normalize, 11);
        try {
          for (const masked of spec.actions.discrete.length > 0 ? [false, true] : [false]) {
            const worst = await checkParity(net, masked, masked ? 5 : 6);
            expect(worst.continuous).toBeLessThan(1e-5);
            expect(worst.probs).toBeLessThan(1e-5);
          }
          // The heads are scaled so that the comparison covers clipped means and peaked branches.
          if (spec.actions.continuous > 0) {
            const act = net.act(randomObs(spec, N, new SeededRandom(6), -4, 10), null, N, true);
            expect(act.continuousClipped.some((v) => Math.abs(v) === 1)).toBe(true);
            expect(act.continuousClipped.some((v) => Math.abs(v) < 0.9)).toBe(true);
          }
        } finally {
          net.dispose();
        }
      });
    }
  }

  it('the normaliser is baked in: the same net without its statistics answers differently', async () => {
    const net = trainedLookingPolicy(continuousSpec, true, 11);
    const plain = trainedLookingPolicy(continuousSpec, false, 11);
    try {
      const obs = randomObs(continuousSpec, N, new SeededRandom(8), -4, 10);
      const withNorm = await runExported(ortNode, buildPolicyModel(net.describe(), continuousSpec, { trainerStep: 0, version: 't' }), continuousSpec, obs, null, 'all');
      const without = await runExported(ortNode, buildPolicyModel(plain.describe(), continuousSpec, { trainerStep: 0, version: 't' }), continuousSpec, obs, null, 'all');
      const a = withNorm[TensorNames.deterministicContinuousActions]!.data as Float32Array;
      const b = without[TensorNames.deterministicContinuousActions]!.data as Float32Array;
      expect(maxAbsDiff(a, b)).toBeGreaterThan(0.1);
      expect(maxAbsDiff(a, net.act(obs, null, N, true).continuousClipped)).toBeLessThan(1e-5);
    } finally {
      net.dispose();
      plain.dispose();
    }
  });
});
