/** Small actor-critics with fixed seeds and their inputs, for the ONNX tests. */
import * as tf from '@tensorflow/tfjs';
import type { BehaviorSpec } from '../../bridge/spec/BehaviorSpec.js';
import { observationSize } from '../../bridge/spec/BehaviorSpec.js';
import { SeededRandom } from '../../bridge/random/SeededRandom.js';
import { ActorCritic } from '../../trainer/networks/ActorCritic.js';

export const discreteSpec: BehaviorSpec = {
  name: 'Discrete',
  observations: [
    { name: 'rays', shape: [2, 3], kind: 'rays' },
    { name: 'state', shape: [4], kind: 'vector' },
  ],
  actions: { continuous: 0, discrete: [4, 3] },
  teamCount: 1,
  maxStep: 0,
};

export const continuousSpec: BehaviorSpec = {
  name: 'Continuous',
  observations: [{ name: 'state', shape: [5], kind: 'vector' }],
  actions: { continuous: 3, discrete: [] },
  teamCount: 1,
  maxStep: 0,
};

export const hybridSpec: BehaviorSpec = {
  name: 'Hybrid',
  observations: [
    { name: 'state', shape: [3], kind: 'vector' },
    { name: 'rays', shape: [6], kind: 'rays' },
  ],
  actions: { continuous: 2, discrete: [3, 2] },
  teamCount: 1,
  maxStep: 0,
};

/** n rows of every observation, uniform in [lo, hi]. */
export function randomObs(spec: BehaviorSpec, n: number, rng: SeededRandom, lo = -2, hi = 2): Float32Array[] {
  return spec.observations.map((o) => Float32Array.from({ length: n * observationSize(o) }, () => rng.range(lo, hi)));
}

/** n mask rows with random blocked actions, at least one allowed per branch. */
export function randomMasks(spec: BehaviorSpec, n: number, rng: SeededRandom): Uint8Array {
  const width = spec.actions.discrete.reduce((a, b) => a + b, 0);
  const masks = new Uint8Array(n * width);
  for (let i = 0; i < n; i++) {
    let off = i * width;
    for (const k of spec.actions.discrete) {
      const keep = Math.floor(rng.range(0, k));
      for (let j = 0; j < k; j++) masks[off + j] = j === keep || rng.range(0, 1) < 0.5 ? 1 : 0;
      off += k;
    }
  }
  return masks;
}

/**
 * An actor-critic whose heads are scaled up, so that means reach the +-3 clip and branch
 * probabilities are far from uniform (freshly initialised heads give near-zero outputs), and,
 * with `normalize`, whose normaliser has seen shifted, scaled data.
 */
export function trainedLookingPolicy(spec: BehaviorSpec, normalize: boolean, seed: number, headScale = 25): ActorCritic {
  const net = new ActorCritic({ spec, network: { normalize, hidden_units: 32, num_layers: 2 }, rewardSignals: ['extrinsic'], seed });
  const state = net.getState();
  state.meta.variables.forEach((v, i) => {
    if (/^(continuous\.mu|discrete\.\d+)\.(kernel|bias)$/.test(v.name)) state.weights[i] = state.weights[i]!.map((w) => w * headScale);
    if (v.name === 'continuous.logSigma') state.weights[i] = state.weights[i]!.map((_, c) => -0.5 + 0.4 * c);
  });
  net.setState(state);
  if (normalize) {
    const rng = new SeededRandom(seed + 1);
    for (let batch = 0; batch < 3; batch++) net.updateNormalizer(randomObs(spec, 50, rng, -3, 9), 50);
  }
  return net;
}

/** The trainer's own branch probabilities [n x sum K] (exp of evaluate's log p + 1e-7, minus the 1e-7). */
export function trainerProbabilities(net: ActorCritic, obs: Float32Array[], masks: Uint8Array | null, n: number): Float32Array {
  const spec = net.spec;
  const K = net.maskWidth;
  const probs = new Float32Array(n * K);
  const rows = new Float32Array(n * net.inputSize);
  let off = 0;
  spec.observations.forEach((o, k) => {
    const size = observationSize(o);
    for (let i = 0; i < n; i++) rows.set(obs[k]!.subarray(i * size, (i + 1) * size), i * net.inputSize + off);
    off += size;
  });
  const branches = spec.actions.discrete;
  const maxK = Math.max(...branches);
  for (let a = 0; a < maxK; a++) {
    const oneHot = new Float32Array(n * K);
    let boff = 0;
    for (const k of branches) {
      for (let i = 0; i < n; i++) oneHot[i * K + boff + Math.min(a, k - 1)] = 1;
      boff += k;
    }
    const lp = tf.tidy(() => {
      const x = tf.tensor2d(rows, [n, net.inputSize]);
      const m = masks ? net.maskTensor(masks, n) : null;
      const cont = net.continuousSize > 0 ? tf.zeros([n, net.continuousSize]) as tf.Tensor2D : null;
      return net.evaluate(x, m, cont, tf.tensor2d(oneHot, [n, K])).logProbs;
    });
    const values = lp.dataSync() as Float32Array;
    const width = lp.shape[1];
    lp.dispose();
    boff = 0;
    branches.forEach((k, b) => {
      if (a < k) for (let i = 0; i < n; i++) probs[i * K + boff + a] = Math.exp(values[i * width + net.continuousSize + b]!) - 1e-7;
      boff += k;
    });
  }
  return probs;
}
