import * as tf from '@tensorflow/tfjs';
import { actionMaskSize, checkBehaviorSpec, observationSize, totalObservationSize, type BehaviorSpec } from '../../bridge/spec/BehaviorSpec.js';
import { SeededRandom } from '../../bridge/random/SeededRandom.js';
import type { NetworkSettings } from '../config/schema.js';
import { ActionSampler, argmax } from './ActionSampler.js';
import type { DenseDescription } from './DenseLayer.js';
import { GaussianHead } from './GaussianHead.js';
import { MlpBody } from './MlpBody.js';
import { MultiCategoricalHead } from './MultiCategoricalHead.js';
import { Normalizer, type NormalizerState } from './Normalizer.js';
import { joinObservationRows } from './ObservationRows.js';
import { ValueHeads } from './ValueHeads.js';

/** The network settings the learner reads; `memory` (LSTM) is rejected, `deterministic` is the default of `act`. */
export type LearnerNetworkSettings = Pick<NetworkSettings, 'normalize' | 'hidden_units' | 'num_layers'> &
  Partial<Pick<NetworkSettings, 'deterministic' | 'memory'>>;

/** How to build an actor and its critic. */
export interface ActorCriticOptions {
  spec: BehaviorSpec;
  network: LearnerNetworkSettings;
  /** One value head per reward signal, in this order (e.g. ['extrinsic', 'curiosity']). */
  rewardSignals: readonly string[];
  /** ML-Agents' `shared_critic`: value heads on the actor's body instead of a separate network. */
  sharedCritic?: boolean;
  /** Seeds the weights and, through a second stream, action sampling. */
  seed: number;
}

/** One batch of actions chosen by `act`. Rows are agents. */
export interface ActResult {
  /** n x C raw Gaussian samples (what log probs refer to and training replays). */
  continuousRaw: Float32Array;
  /** n x C, clamp(raw, -3, 3) / 3: what the game receives. */
  continuousClipped: Float32Array;
  /** n x branches. */
  discrete: Int32Array;
  /** n x (C + branches): per continuous component, then per branch, as ML-Agents flattens them. */
  logProbs: Float32Array;
  /** n: continuous entropy (mean over components) plus the entropy of every branch. */
  entropy: Float32Array;
}

/** Everything a trainer step needs from the networks for a minibatch, as tensors. */
export interface PolicyEvaluation {
  /** [n, C + branches] log probs of the given actions. */
  logProbs: tf.Tensor2D;
  /** [n] entropy per row (ML-Agents' entropy_sum). */
  entropy: tf.Tensor1D;
  /** [n, signals] value estimates, columns in rewardSignals order. */
  values: tf.Tensor2D;
}

/** The actor as plain numbers, for the ONNX exporter. */
export interface ActorDescription {
  observations: { name: string; size: number; offset: number }[];
  /** Applied to the joined observation row: clamp((x - mean) / sqrt(variance / steps), -5, 5). */
  normalizer: { steps: number; mean: Float32Array; variance: Float32Array } | null;
  /** Swish after every layer. */
  body: DenseDescription[];
  /** Env action = clamp(mean + exp(logSigma) * noise, -3, 3) / 3; deterministic: clamp(mean, -3, 3) / 3. */
  continuous: { size: number; mu: DenseDescription; logSigma: Float32Array } | null;
  /** Logits per branch; masked as logits * mask - 1e8 * (1 - mask), then softmax. */
  discrete: { branches: number[]; logits: DenseDescription[] } | null;
}

/**
 * What a setState restores: 'all' (a checkpoint), or 'learned', only what an update changes
 * (weights, optimiser moments, update counters) and not what acting changes meanwhile
 * (observation normalisers, the action sampler), for a learner thread's reply.
 */
export type StateScope = 'all' | 'learned';

/** Weights, normaliser and sampler state, as plain typed arrays plus JSON-able metadata. */
export interface ActorCriticState {
  meta: { behavior: string; variables: { name: string; shape: number[] }[]; rewardSignals: string[]; sharedCritic: boolean };
  weights: Float32Array[];
  normalizer: NormalizerState | null;
  sampler: number[];
}

// ML-Agents clips continuous actions to [-3, 3] and divides by 3 before sending them.
const ACTION_CLIP = 3;

/**
 * ML-Agents' SimpleActor plus its ValueNetwork (or SharedActorCritic) for one behavior: joined
 * observations -> optional running normaliser -> Swish MLP -> Gaussian head (continuous) and
 * masked categorical heads (discrete); the critic is the same body shape with one value head per
 * reward signal. The actor and a separate critic share one normaliser: ML-Agents updates both
 * of theirs with the same trajectories, so their statistics are always equal.
 */
export class ActorCritic {
  readonly spec: BehaviorSpec;
  readonly inputSize: number;
  readonly continuousSize: number;
  readonly branchSizes: readonly number[];
  readonly maskWidth: number;
  readonly rewardSignals: readonly string[];
  readonly sharedCritic: boolean;
  readonly normalizer: Normalizer | null;
  readonly actorBody: MlpBody;
  readonly continuousHead: GaussianHead | null;
  readonly discreteHead: MultiCategoricalHead | null;
  /** Null with a shared critic: the value heads read the actor's body. */
  readonly criticBody: MlpBody | null;
  readonly valueHeads: ValueHeads;
  private readonly sampler: ActionSampler;
  private readonly deterministicDefault: boolean;
  private readonly named: [string, tf.Variable][];

  constructor(opts: ActorCriticOptions) {
    const spec = checkBehaviorSpec(opts.spec, 'spec');
    const net = opts.network;
    if (!net || typeof net.normalize !== 'boolean') {
      throw new Error(`network_settings.normalize: expected true or false, got ${JSON.stringify(net?.normalize)}`);
    }
    if (net.memory) {
      throw new Error('network_settings.memory: recurrent (LSTM) policies are not supported by this learner yet; remove the memory section');
    }
    if (!Number.isInteger(opts.seed)) throw new Error(`seed: expected an integer, got ${JSON.stringify(opts.seed)}`);
    this.spec = spec;
    this.inputSize = totalObservationSize(spec);
    this.continuousSize = spec.actions.continuous;
    this.branchSizes = [...spec.actions.discrete];
    this.maskWidth = actionMaskSize(spec.actions);
    this.rewardSignals = [...opts.rewardSignals];
    this.sharedCritic = opts.sharedCritic ?? false;
    this.deterministicDefault = net.deterministic ?? false;

    const init = new SeededRandom(opts.seed);
    this.sampler = new ActionSampler((opts.seed ^ 0x5eed5) >>> 0);
    this.normalizer = net.normalize ? new Normalizer(this.inputSize) : null;
    this.actorBody = new MlpBody('actor.body', this.inputSize, net.hidden_units, net.num_layers, init);
    this.continuousHead = this.continuousSize > 0 ? new GaussianHead(net.hidden_units, this.continuousSize, init) : null;
    this.discreteHead = this.branchSizes.length > 0 ? new MultiCategoricalHead(net.hidden_units, this.branchSizes, init) : null;
    this.criticBody = this.sharedCritic ? null : new MlpBody('critic.body', this.inputSize, net.hidden_units, net.num_layers, init);
    this.valueHeads = new ValueHeads(this.rewardSignals, net.hidden_units, init);

    this.named = [];
    const add = (prefix: string, layers: { name: string; kernel: tf.Variable; bias: tf.Variable }[]) => {
      for (const l of layers) this.named.push([`${prefix}${l.name}.kernel`, l.kernel], [`${prefix}${l.name}.bias`, l.bias]);
    };
    add('', this.actorBody.layers);
    if (this.continuousHead) {
      add('', [this.continuousHead.mu]);
      this.named.push(['continuous.logSigma', this.continuousHead.logSigma]);
    }
    if (this.discreteHead) add('', this.discreteHead.branches);
    if (this.criticBody) add('', this.criticBody.layers);
    add('', this.valueHeads.heads);
  }

  /** Every trainable variable, in a fixed order (the order of getState().weights). */
  get variables(): tf.Variable[] {
    return this.named.map(([, v]) => v);
  }

  /** Number of log prob columns: one per continuous component and one per branch. */
  get logProbWidth(): number {
    return this.continuousSize + this.branchSizes.length;
  }

  /** Folds a batch of observations into the running normaliser (no-op without `normalize`). */
  updateNormalizer(obs: Float32Array[], n: number): void {
    if (!this.normalizer || n === 0) return;
    this.normalizer.update(joinObservationRows(this.spec, obs, n, 'updateNormalizer'), n);
  }

  /**
   * Chooses actions for n agents: one forward pass and one readback, then seeded sampling on the
   * CPU. `masks` (n x sum of branch sizes, 1 allowed) is required when there are discrete branches
   * and masks exist; null means every action is allowed.
   */
  act(obs: Float32Array[], masks: Uint8Array | null, n: number, deterministic = this.deterministicDefault): ActResult {
    const rows = joinObservationRows(this.spec, obs, n, 'act');
    this.checkMasks(masks, n, 'act');
    const C = this.continuousSize;
    const K = this.maskWidth;
    const B = this.branchSizes.length;
    // One row per agent: [mean C | std C | probs K | log(probs + eps) K | entropy 1].
    const width = 2 * C + 2 * K + 1;
    const packed = tf.tidy(() => {
      const h = this.encodeActor(tf.tensor2d(rows, [n, this.inputSize]));
      const parts: tf.Tensor2D[] = [];
      let entropy: tf.Tensor2D = tf.zeros([n, 1]);
      if (this.continuousHead) {
        const mean = this.continuousHead.mean(h);
        parts.push(mean, tf.exp(tf.add(tf.mul(mean, 0), this.continuousHead.logSigma)) as tf.Tensor2D);
        entropy = tf.add(entropy, this.continuousHead.entropy());
      }
      if (this.discreteHead) {
        const dists = this.discreteHead.distributions(h, masks ? this.maskTensor(masks, n) : null);
        parts.push(...dists.map((d) => d.probs), ...dists.map((d) => d.logProbs));
        for (const d of dists) entropy = tf.add(entropy, d.entropy);
      }
      parts.push(entropy);
      return tf.concat(parts, 1);
    });
    const out = packed.dataSync() as Float32Array;
    packed.dispose();

    const result: ActResult = {
      continuousRaw: new Float32Array(n * C),
      continuousClipped: new Float32Array(n * C),
      discrete: new Int32Array(n * B),
      logProbs: new Float32Array(n * (C + B)),
      entropy: new Float32Array(n),
    };
    for (let i = 0; i < n; i++) {
      const row = i * width;
      for (let c = 0; c < C; c++) {
        const mean = out[row + c]!;
        const std = out[row + C + c]!;
        const a = deterministic ? mean : mean + this.sampler.normal() * std;
        result.continuousRaw[i * C + c] = a;
        result.continuousClipped[i * C + c] = Math.min(ACTION_CLIP, Math.max(-ACTION_CLIP, a)) / ACTION_CLIP;
        // ML-Agents' GaussianDistInstance.log_prob, evaluated at the float32 sample.
        const x = Math.fround(a) - mean;
        result.logProbs[i * (C + B) + c] = -(x * x) / (2 * std * std + 1e-7) - Math.log(std + 1e-7) - Math.log(Math.sqrt(2 * Math.PI));
      }
      const probs = row + 2 * C;
      const logs = probs + K;
      this.branchSizes.forEach((k, b) => {
        const off = this.discreteHead!.offsets[b]!;
        const choice = deterministic ? argmax(out, probs + off, k) : this.sampler.categorical(out, probs + off, k);
        result.discrete[i * B + b] = choice;
        result.logProbs[i * (C + B) + C + b] = out[logs + off + choice]!;
      });
      result.entropy[i] = out[row + width - 1]!;
    }
    return result;
  }

  /** Value estimates of n observation rows, one Float32Array per reward signal. */
  values(obs: Float32Array[], n: number): Record<string, Float32Array> {
    const rows = joinObservationRows(this.spec, obs, n, 'values');
    const v = tf.tidy(() => this.criticValues(this.normalize(tf.tensor2d(rows, [n, this.inputSize]))));
    const flat = v.dataSync() as Float32Array;
    v.dispose();
    const S = this.rewardSignals.length;
    const result: Record<string, Float32Array> = {};
    this.rewardSignals.forEach((name, s) => {
      const col = new Float32Array(n);
      for (let i = 0; i < n; i++) col[i] = flat[i * S + s]!;
      result[name] = col;
    });
    return result;
  }

  /**
   * Log probs, entropy and values of a minibatch, differentiable (call inside tf.tidy / grads).
   * `x` holds raw joined observations [n, inputSize]; `masks` [n, sum K] floats or null;
   * `continuousActions` [n, C] raw samples; `discreteOneHot` [n, sum K].
   */
  evaluate(x: tf.Tensor2D, masks: tf.Tensor2D | null, continuousActions: tf.Tensor2D | null, discreteOneHot: tf.Tensor2D | null): PolicyEvaluation {
    const xn = this.normalize(x);
    const h = this.actorBody.apply(xn);
    const { logProbs, entropy } = this.actionHeads(h, masks, continuousActions, discreteOneHot);
    const n = x.shape[0];
    const values = this.criticBody ? this.valueHeads.apply(this.criticBody.apply(xn)) : this.valueHeads.apply(h);
    return { logProbs, entropy: tf.reshape(tf.broadcastTo(entropy, [n, 1]), [n]) as tf.Tensor1D, values };
  }

  /**
   * Log probs [n, C + branches] of actions already taken, from the actor alone (no critic): what
   * `evaluate` gives as `logProbs`, for a pass that needs nothing else. Call inside tf.tidy.
   */
  actionLogProbs(x: tf.Tensor2D, masks: tf.Tensor2D | null, continuousActions: tf.Tensor2D | null, discreteOneHot: tf.Tensor2D | null): tf.Tensor2D {
    return this.actionHeads(this.actorBody.apply(this.normalize(x)), masks, continuousActions, discreteOneHot).logProbs;
  }

  /** The action heads on the actor's hidden state: log probs of the given actions and entropy (summed over heads, [n, 1] or [1, 1]). */
  private actionHeads(h: tf.Tensor2D, masks: tf.Tensor2D | null, continuousActions: tf.Tensor2D | null, discreteOneHot: tf.Tensor2D | null): { logProbs: tf.Tensor2D; entropy: tf.Tensor2D } {
    const logProbs: tf.Tensor2D[] = [];
    let entropy: tf.Tensor2D | null = null;
    const addEntropy = (e: tf.Tensor2D) => (entropy = entropy ? (tf.add(entropy, e) as tf.Tensor2D) : e);
    if (this.continuousHead) {
      if (!continuousActions) throw new Error('evaluate: continuous actions are required for a behavior with continuous actions');
      logProbs.push(this.continuousHead.logProb(this.continuousHead.mean(h), continuousActions));
      addEntropy(this.continuousHead.entropy());
    }
    if (this.discreteHead) {
      if (!discreteOneHot) throw new Error('evaluate: discrete actions are required for a behavior with discrete branches');
      const dists = this.discreteHead.distributions(h, masks);
      logProbs.push(this.discreteHead.logProb(dists, discreteOneHot));
      for (const d of dists) addEntropy(d.entropy);
    }
    return { logProbs: (logProbs.length === 1 ? logProbs[0]! : tf.concat(logProbs, 1)) as tf.Tensor2D, entropy: entropy! };
  }

  /** Float mask tensor [n, sum K] from the protocol's 0/1 bytes, for `evaluate`. */
  maskTensor(masks: Uint8Array, n: number): tf.Tensor2D {
    return tf.tensor2d(Float32Array.from(masks), [n, this.maskWidth]);
  }

  /** Throws unless `masks` is null or n x sum(branch sizes) bytes. */
  checkMasks(masks: Uint8Array | null, n: number, where: string): void {
    if (masks === null) return;
    if (!(masks instanceof Uint8Array) || masks.length !== n * this.maskWidth) {
      throw new Error(`${where}.actionMasks: expected null or a Uint8Array of ${n} x ${this.maskWidth} (sum of branch sizes [${this.branchSizes.join(', ')}]), got ${(masks as unknown as { constructor?: { name?: string } })?.constructor?.name ?? typeof masks} of ${(masks as { length?: number })?.length}`);
    }
  }

  /** Copies of every weight plus the normaliser and sampler state. */
  getState(): ActorCriticState {
    return {
      meta: {
        behavior: this.spec.name,
        variables: this.named.map(([name, v]) => ({ name, shape: [...v.shape] })),
        rewardSignals: [...this.rewardSignals],
        sharedCritic: this.sharedCritic,
      },
      weights: this.named.map(([, v]) => (v.dataSync() as Float32Array).slice()),
      normalizer: this.normalizer ? this.normalizer.getState() : null,
      sampler: this.sampler.getState(),
    };
  }

  /** Restores a getState() of a network with the same shapes; throws naming the first mismatch. */
  setState(state: ActorCriticState, where = 'networks', scope: StateScope = 'all'): void {
    const vars = state?.meta?.variables;
    if (!Array.isArray(vars) || !Array.isArray(state.weights) || vars.length !== this.named.length || state.weights.length !== this.named.length) {
      throw new Error(`${where}: expected ${this.named.length} variables (${this.named.map(([n]) => n).join(', ')}), got ${vars?.length ?? 'none'}; the checkpoint was made for a different network`);
    }
    this.named.forEach(([name, v], i) => {
      const saved = vars[i]!;
      const w = state.weights[i];
      if (saved.name !== name || saved.shape.join('x') !== v.shape.join('x')) {
        throw new Error(`${where}.variables[${i}]: expected ${name} [${v.shape.join(', ')}], got ${saved.name} [${saved.shape.join(', ')}]; the checkpoint was made with other network_settings or another behavior spec`);
      }
      if (!(w instanceof Float32Array) || w.length !== v.size) {
        throw new Error(`${where}.weights[${i}] (${name}): expected a Float32Array of ${v.size}, got ${(w as { length?: number } | undefined)?.length}`);
      }
    });
    if ((state.normalizer === null) !== (this.normalizer === null)) {
      throw new Error(`${where}.normalizer: the checkpoint was made with network_settings.normalize ${state.normalizer !== null}, this run has ${this.normalizer !== null}`);
    }
    tf.tidy(() => this.named.forEach(([, v], i) => v.assign(tf.tensor(state.weights[i]!, v.shape))));
    if (scope === 'learned') return;
    if (this.normalizer && state.normalizer) this.normalizer.setState(state.normalizer, `${where}.normalizer`);
    this.sampler.setState(state.sampler);
  }

  /** The actor's layers and normaliser as plain numbers (for ONNX export). */
  describe(): ActorDescription {
    let offset = 0;
    const observations = this.spec.observations.map((o) => {
      const size = observationSize(o);
      const entry = { name: o.name, size, offset };
      offset += size;
      return entry;
    });
    const norm = this.normalizer?.getState();
    return {
      observations,
      normalizer: norm ? { steps: norm.steps, mean: Float32Array.from(norm.mean), variance: Float32Array.from(norm.variance) } : null,
      body: this.actorBody.describe(),
      continuous: this.continuousHead ? { size: this.continuousSize, ...this.continuousHead.describe() } : null,
      discrete: this.discreteHead ? { branches: [...this.branchSizes], logits: this.discreteHead.describe() } : null,
    };
  }

  dispose(): void {
    this.normalizer?.dispose();
    this.actorBody.dispose();
    this.continuousHead?.dispose();
    this.discreteHead?.dispose();
    this.criticBody?.dispose();
    this.valueHeads.dispose();
  }

  private normalize(x: tf.Tensor2D): tf.Tensor2D {
    return this.normalizer ? this.normalizer.apply(x) : x;
  }

  private encodeActor(x: tf.Tensor2D): tf.Tensor2D {
    return this.actorBody.apply(this.normalize(x));
  }

  private criticValues(xn: tf.Tensor2D): tf.Tensor2D {
    return this.valueHeads.apply((this.criticBody ?? this.actorBody).apply(xn));
  }
}
