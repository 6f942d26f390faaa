import * as ortNode from 'onnxruntime-node';
import { beforeAll, describe, expect, it } from 'vitest';
import { TensorNames } from '../../bridge/inference/ModelContract.js';
import { SeededRandom } from '../../bridge/random/SeededRandom.js';
import { observationSize, type BehaviorSpec } from '../../bridge/spec/BehaviorSpec.js';
import { buildPolicyModel } from '../../onnx-export/PolicyModel.js';
import { selectBackend } from '../../trainer/backend/selectBackend.js';
import { seedSampling } from './onnxModelEdits.js';
import { continuousSpec, hybridSpec, randomObs, trainedLookingPolicy, trainerProbabilities } from './testPolicies.js';

// Chi-square critical values at p = 0.001 by degrees of freedom.
const CHI2_999: Record<number, number> = { 1: 10.83, 2: 13.82, 3: 16.27, 4: 18.47 };

function chiSquare(counts: number[], probs: number[], total: number): number {
  return counts.reduce((s, c, j) => s + (c - total * probs[j]!) ** 2 / (total * probs[j]!), 0);
}

/** One observation row (and mask row) repeated `n` times: every row samples from the same distribution. */
function repeatRows(spec: BehaviorSpec, row: Float32Array[], n: number): Float32Array[] {
  return spec.observations.map((o, k) => {
    const size = observationSize(o);
    const out = new Float32Array(n * size);
    for (let i = 0; i < n; i++) out.set(row[k]!, i * size);
    return out;
  });
}

async function run(bytes: Uint8Array, spec: BehaviorSpec, obs: Float32Array[], masks: Float32Array | null, n: number) {
  const session = await ortNode.InferenceSession.create(bytes);
  const feeds: Record<string, ortNode.Tensor> = {};
  spec.observations.forEach((o, i) => (feeds[`obs_${i}`] = new ortNode.Tensor('float32', obs[i]!, [n, ...o.shape])));
  if (masks) feeds[TensorNames.actionMasks] = new ortNode.Tensor('float32', masks, [n, masks.length / n]);
  const out = await session.run(feeds);
  await session.release();
  return out;
}

describe('sampling inside the exported graph', () => {
  beforeAll(async () => {
    await selectBackend('wasm');
  });

  it("Multinomial draws follow the policy's probabilities (chi-square, p = 0.001), and masked actions never come up", async () => {
    const spec = hybridSpec;
    const net = trainedLookingPolicy(spec, true, 21, 6);
    try {
      const n = 20000;
      const row = randomObs(spec, 1, new SeededRandom(4), -4, 10);
      const obs = repeatRows(spec, row, n);
      const K = net.maskWidth;
      for (const maskRow of [null, Uint8Array.of(1, 0, 1, 1, 1)]) {
        const probs = trainerProbabilities(net, row, maskRow, 1);
        const masks = new Float32Array(n * K);
        for (let i = 0; i < n; i++) for (let j = 0; j < K; j++) masks[i * K + j] = maskRow ? maskRow[j]! : 1;
        const bytes = seedSampling(buildPolicyModel(net.describe(), spec, { trainerStep: 0, version: 't' }), 17);
        const out = await run(bytes, spec, obs, masks, n);
        const sampled = out[TensorNames.discreteActions]!.data as BigInt64Array;
        let off = 0;
        spec.actions.discrete.forEach((k, b) => {
          const counts = new Array<number>(k).fill(0);
          for (let i = 0; i < n; i++) counts[Number(sampled[i * spec.actions.discrete.length + b])]!++;
          const p = Array.from(probs.subarray(off, off + k));
          const allowed = p.map((_, j) => (maskRow ? maskRow[off + j] === 1 : true));
          for (let j = 0; j < k; j++) if (!allowed[j]) expect(counts[j]).toBe(0);
          const keptCounts = counts.filter((_, j) => allowed[j]);
          const keptProbs = p.filter((_, j) => allowed[j]);
          const critical = CHI2_999[keptProbs.length - 1]!;
          expect(chiSquare(keptCounts, keptProbs, n)).toBeLessThan(critical);
          // The test can fail: the same draws are rejected as coming from a uniform policy.
          expect(chiSquare(keptCounts, keptProbs.map(() => 1 / keptProbs.length), n)).toBeGreaterThan(critical);
          off += k;
        });
      }
    } finally {
      net.dispose();
    }
  });

  it('masked actions are never chosen, sampled or greedy, even where the policy prefers them', async () => {
    const spec = hybridSpec;
    const net = trainedLookingPolicy(spec, false, 23, 40);
    try {
      const n = 4000;
      const obs = randomObs(spec, n, new SeededRandom(9), -4, 10);
      const greedyUnmasked = net.act(obs, null, n, true).discrete;
      // Block exactly the action the unmasked policy likes best, in every branch and row.
      const K = net.maskWidth;
      const B = spec.actions.discrete.length;
      const masks = new Float32Array(n * K).fill(1);
      for (let i = 0; i < n; i++) {
        let off = 0;
        spec.actions.discrete.forEach((k, b) => {
          masks[i * K + off + greedyUnmasked[i * B + b]!] = 0;
          off += k;
        });
      }
      const out = await run(seedSampling(buildPolicyModel(net.describe(), spec, { trainerStep: 0, version: 't' }), 3), spec, obs, masks, n);
      for (const name of [TensorNames.discreteActions, TensorNames.deterministicDiscreteActions]) {
        const chosen = out[name]!.data as BigInt64Array;
        for (let i = 0; i < n; i++) {
          let off = 0;
          spec.actions.discrete.forEach((k, b) => {
            expect(masks[i * K + off + Number(chosen[i * B + b])]).toBe(1);
            off += k;
          });
        }
      }
    } finally {
      net.dispose();
    }
  });

  it('RandomNormalLike draws have the mean and sigma of the Gaussian head, and continuous_actions are clamp(-3, 3) / 3', async () => {
    const spec = continuousSpec;
    // Unscaled heads: means stay near 0, so with sigma <= 0.7 the clip at 3 is 4+ sigmas away.
    const net = trainedLookingPolicy(spec, false, 31, 1);
    try {
      const n = 20000;
      const row = randomObs(spec, 1, new SeededRandom(2));
      const out = await run(seedSampling(buildPolicyModel(net.describe(), spec, { trainerStep: 0, version: 't' }), 5), spec, repeatRows(spec, row, n), null, n);
      const samples = out[TensorNames.continuousActions]!.data as Float32Array;
      const greedy = out[TensorNames.deterministicContinuousActions]!.data as Float32Array;
      const logSigma = net.describe().continuous!.logSigma;
      for (let c = 0; c < 3; c++) {
        let sum = 0;
        let sq = 0;
        for (let i = 0; i < n; i++) sum += samples[i * 3 + c]!;
        const mean = sum / n;
        for (let i = 0; i < n; i++) sq += (samples[i * 3 + c]! - mean) ** 2;
        const sd = Math.sqrt(sq / (n - 1));
        const sigma = Math.exp(logSigma[c]!) / 3;
        expect(Math.abs(mean - greedy[c]!)).toBeLessThan((4 * sigma) / Math.sqrt(n));
        expect(Math.abs(sd / sigma - 1)).toBeLessThan(0.03);
      }
      // Wide heads: samples pile up at exactly +-1 and never pass it.
      const wide = trainedLookingPolicy(spec, false, 31, 60);
      const clipped = await run(buildPolicyModel(wide.describe(), spec, { trainerStep: 0, version: 't' }), spec, randomObs(spec, 500, new SeededRandom(3), -4, 10), null, 500);
      wide.dispose();
      const values = clipped[TensorNames.continuousActions]!.data as Float32Array;
      expect(values.every((v) => v >= -1 && v <= 1)).toBe(true);
      expect(values.filter((v) => Math.abs(v) === 1).length).toBeGreaterThan(50);
    } finally {
      net.dispose();
    }
  });
});
