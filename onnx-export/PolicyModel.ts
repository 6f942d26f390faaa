import {
  BATCH_DIM,
  EXPORT_OPSET,
  MetadataKeys,
  MODEL_API_VERSION,
  TensorNames,
  observationInputName,
} from '../bridge/inference/ModelContract.js';
import { actionMaskSize, checkBehaviorSpec, observationSize, type BehaviorSpec } from '../bridge/spec/BehaviorSpec.js';
import type { ActorDescription } from '../trainer/networks/ActorCritic.js';
import type { DenseDescription } from '../trainer/networks/DenseLayer.js';
import { OnnxGraphBuilder } from './OnnxGraphBuilder.js';

/** Who made the model and when, for its metadata. */
export interface PolicyModelInfo {
  /** Trainer step of the weights. */
  trainerStep: number;
  /** three-rl-agents version (package.json). */
  version: string;
}

/** Names of intermediate tensors of the graph, for tests that read them out. */
export const PolicyGraphNames = {
  /** Clamped, normalised observations [batch, total observation size]. */
  normalizedObservations: 'normalized_observations',
  /** Means of the Gaussian head [batch, C], before clipping. */
  continuousMean: 'continuous_mean',
  /** Masked softmax of branch b [batch, K_b]. */
  discreteProbs: (b: number) => `discrete_probs_${b}`,
} as const;

// ML-Agents: the IR version PyTorch writes for opset 9 (what the fixture models carry).
const IR_VERSION = 4;
// Normalised observations are clipped to +-5 (ML-Agents' Normalizer.forward; no epsilon there).
const NORMALIZED_CLIP = 5;
// Continuous actions: clamp(x, -3, 3) / 3 (ML-Agents' ActionModel.get_action_out).
const ACTION_CLIP = 3;
// Masked logits: logits * mask - 1e8 * (1 - mask) (MultiCategoricalDistribution._mask_branch).
const MASKED_LOGIT = 1e8;
// onnx.proto TensorProto.DataType INT64, for Multinomial's `dtype`.
const INT64 = 7;

/**
 * The ONNX model (ML-Agents model API 3, opset 9) of a trained actor: the observations joined in
 * spec order, the normaliser baked in, the Swish MLP, and ML-Agents' action outputs with sampling
 * in the graph (RandomNormalLike / Multinomial) beside the deterministic ones (clamped mean /
 * ArgMax). Node for node it follows what ML-Agents' own export contains (see the fixtures), so
 * Unity's loaders and ours read it the same way.
 */
export function buildPolicyModel(actor: ActorDescription, spec: BehaviorSpec, info: PolicyModelInfo): Uint8Array {
  checkBehaviorSpec(spec, 'buildPolicyModel.spec');
  checkActorFitsSpec(actor, spec);
  if (!Number.isInteger(info.trainerStep) || info.trainerStep < 0) {
    throw new Error(`buildPolicyModel.info.trainerStep: expected an integer >= 0, got ${info.trainerStep}`);
  }
  const g = new OnnxGraphBuilder(spec.name);

  // Observations: one input per observation, flattened to rows and joined as the trainer joins them.
  const rows = spec.observations.map((o, i) => {
    const name = g.input(observationInputName(i), 'float32', [BATCH_DIM, ...o.shape]);
    return o.shape.length === 1 ? name : g.node('Flatten', [name], [`${name}_flat`], { axis: { int: 1 } })[0]!;
  });
  const masks = spec.actions.discrete.length > 0 ? g.input(TensorNames.actionMasks, 'float32', [BATCH_DIM, actionMaskSize(spec.actions)]) : null;
  let h = g.node('Concat', rows, ['observations'], { axis: { int: 1 } })[0]!;

  if (actor.normalizer) {
    const { steps, mean, variance } = actor.normalizer;
    // The trainer's Normalizer divides by sqrt(variance / steps), computed on the CPU then made float32.
    const std = Float32Array.from(variance, (v) => Math.sqrt(v / steps));
    g.initializer('normalizer.mean', Float32Array.from(mean), [1, mean.length]);
    g.initializer('normalizer.std', std, [1, std.length]);
    const centred = g.node('Sub', [h, 'normalizer.mean'], ['normalizer_centred'])[0]!;
    const scaled = g.node('Div', [centred, 'normalizer.std'], ['normalizer_scaled'])[0]!;
    h = g.node('Clip', [scaled], [PolicyGraphNames.normalizedObservations], { min: { float: -NORMALIZED_CLIP }, max: { float: NORMALIZED_CLIP } })[0]!;
  }

  actor.body.forEach((layer, i) => {
    const z = dense(g, layer, h, `body.${i}`);
    const s = g.node('Sigmoid', [z], [`body.${i}.sigmoid`])[0]!;
    h = g.node('Mul', [z, s], [`body.${i}.swish`])[0]!;
  });

  g.initializer('version_number.value', Float32Array.of(MODEL_API_VERSION), [1]);
  g.initializer('memory_size.value', Float32Array.of(0), [1]);
  g.node('Identity', ['version_number.value'], [TensorNames.versionNumber]);
  g.node('Identity', ['memory_size.value'], [TensorNames.memorySize]);
  g.output(TensorNames.versionNumber, 'float32', [1]);
  g.output(TensorNames.memorySize, 'float32', [1]);

  if (actor.continuous) {
    const C = actor.continuous.size;
    const mean = dense(g, actor.continuous.mu, h, 'continuous.mu', PolicyGraphNames.continuousMean);
    // mean * 0 + log_sigma gives sigma the batch shape without Expand, as ML-Agents does for Barracuda.
    g.initializer('continuous.zero', Float32Array.of(0), []);
    g.initializer('continuous.log_sigma', Float32Array.from(actor.continuous.logSigma), [1, C]);
    g.initializer('continuous.clip_scale', Float32Array.of(ACTION_CLIP), []);
    const zeros = g.node('Mul', [mean, 'continuous.zero'], ['continuous.mean_zero'])[0]!;
    const logSigma = g.node('Add', [zeros, 'continuous.log_sigma'], ['continuous.batch_log_sigma'])[0]!;
    const sigma = g.node('Exp', [logSigma], ['continuous.sigma'])[0]!;
    const noise = g.node('RandomNormalLike', [mean], ['continuous.noise'], { dtype: { int: 1 } })[0]!;
    const scaledNoise = g.node('Mul', [noise, sigma], ['continuous.scaled_noise'])[0]!;
    const sample = g.node('Add', [mean, scaledNoise], ['continuous.sample'])[0]!;
    const clipSample = g.node('Clip', [sample], ['continuous.clipped_sample'], { min: { float: -ACTION_CLIP }, max: { float: ACTION_CLIP } })[0]!;
    g.node('Div', [clipSample, 'continuous.clip_scale'], [TensorNames.continuousActions]);
    g.initializer('continuous_action_output_shape.value', Float32Array.of(C), [1]);
    g.node('Identity', ['continuous_action_output_shape.value'], [TensorNames.continuousActionOutputShape]);
    const clipMean = g.node('Clip', [mean], ['continuous.clipped_mean'], { min: { float: -ACTION_CLIP }, max: { float: ACTION_CLIP } })[0]!;
    g.node('Div', [clipMean, 'continuous.clip_scale'], [TensorNames.deterministicContinuousActions]);
    g.output(TensorNames.continuousActions, 'float32', [BATCH_DIM, C]);
    g.output(TensorNames.continuousActionOutputShape, 'float32', [1]);
    g.output(TensorNames.deterministicContinuousActions, 'float32', [BATCH_DIM, C]);
  }

  if (actor.discrete) {
    const branches = actor.discrete.branches;
    const B = branches.length;
    g.initializer('discrete.minus_one', Float32Array.of(-1), []);
    g.initializer('discrete.one', Float32Array.of(1), []);
    g.initializer('discrete.masked_logit', Float32Array.of(MASKED_LOGIT), []);
    const sampled: string[] = [];
    const greedy: string[] = [];
    let offset = 0;
    branches.forEach((k, b) => {
      const logits = dense(g, actor.discrete!.logits[b]!, h, `discrete.${b}`);
      const allow = g.node('Slice', [masks!], [`discrete.${b}.mask`], { axes: { ints: [1] }, starts: { ints: [offset] }, ends: { ints: [offset + k] } })[0]!;
      offset += k;
      // block = -1 * allow + 1 rather than 1 - allow: ML-Agents' note says Barracuda may swap Sub's inputs.
      const negated = g.node('Mul', [allow, 'discrete.minus_one'], [`discrete.${b}.mask_negated`])[0]!;
      const block = g.node('Add', [negated, 'discrete.one'], [`discrete.${b}.block`])[0]!;
      const kept = g.node('Mul', [logits, allow], [`discrete.${b}.kept_logits`])[0]!;
      const penalty = g.node('Mul', [block, 'discrete.masked_logit'], [`discrete.${b}.penalty`])[0]!;
      const masked = g.node('Sub', [kept, penalty], [`discrete.${b}.masked_logits`])[0]!;
      const probs = g.node('Softmax', [masked], [PolicyGraphNames.discreteProbs(b)], { axis: { int: 1 } })[0]!;
      const logProbs = g.node('Log', [probs], [`discrete.${b}.log_probs`])[0]!;
      sampled.push(g.node('Multinomial', [logProbs], [`discrete.${b}.sample`], { dtype: { int: INT64 }, sample_size: { int: 1 } })[0]!);
      greedy.push(g.node('ArgMax', [probs], [`discrete.${b}.argmax`], { axis: { int: 1 }, keepdims: { int: 1 } })[0]!);
    });
    g.node('Concat', sampled, [TensorNames.discreteActions], { axis: { int: 1 } });
    g.initializer('discrete_action_output_shape.value', Float32Array.from(branches), [1, B]);
    g.node('Identity', ['discrete_action_output_shape.value'], [TensorNames.discreteActionOutputShape]);
    g.node('Concat', greedy, [TensorNames.deterministicDiscreteActions], { axis: { int: 1 } });
    g.output(TensorNames.discreteActions, 'int64', [BATCH_DIM, B]);
    g.output(TensorNames.discreteActionOutputShape, 'float32', [1, B]);
    g.output(TensorNames.deterministicDiscreteActions, 'int64', [BATCH_DIM, B]);
  }

  return g.toBytes({
    irVersion: IR_VERSION,
    opset: EXPORT_OPSET,
    producerName: 'three-rl-agents',
    producerVersion: info.version,
    metadata: {
      [MetadataKeys.behaviorName]: spec.name,
      [MetadataKeys.observations]: JSON.stringify(
        spec.observations.map((o, i) => ({ input: observationInputName(i), name: o.name, shape: [...o.shape], kind: o.kind })),
      ),
      [MetadataKeys.actions]: JSON.stringify({ continuous: spec.actions.continuous, discrete: [...spec.actions.discrete] }),
      [MetadataKeys.trainerStep]: String(info.trainerStep),
      [MetadataKeys.version]: info.version,
      [MetadataKeys.normalize]: String(actor.normalizer !== null),
    },
  });
}

/** y = x . kernel + bias as ONNX Gemm with transB = 1 and the kernel stored [out, in], as PyTorch exports it. */
function dense(g: OnnxGraphBuilder, layer: DenseDescription, x: string, prefix: string, outputName = `${prefix}.gemm`): string {
  const { inputSize: n, outputSize: m, kernel } = layer;
  const transposed = new Float32Array(n * m);
  for (let i = 0; i < n; i++) for (let j = 0; j < m; j++) transposed[j * n + i] = kernel[i * m + j]!;
  g.initializer(`${prefix}.weight`, transposed, [m, n]);
  g.initializer(`${prefix}.bias`, Float32Array.from(layer.bias), [m]);
  return g.node('Gemm', [x, `${prefix}.weight`, `${prefix}.bias`], [outputName], { alpha: { float: 1 }, beta: { float: 1 }, transB: { int: 1 } })[0]!;
}

function checkActorFitsSpec(actor: ActorDescription, spec: BehaviorSpec): void {
  const fail = (what: string): never => {
    throw new Error(`buildPolicyModel: the actor does not fit behavior '${spec.name}': ${what}`);
  };
  const total = spec.observations.reduce((s, o) => s + observationSize(o), 0);
  if (actor.body.length === 0) fail('it has no body layers');
  if (actor.body[0]!.inputSize !== total) fail(`its first layer reads ${actor.body[0]!.inputSize} floats, the spec's observations are ${total}`);
  actor.body.forEach((l, i) => {
    if (l.activation !== 'swish') fail(`body layer ${i} has activation '${l.activation}'; ML-Agents' bodies use swish`);
    if (i > 0 && l.inputSize !== actor.body[i - 1]!.outputSize) fail(`body layer ${i} reads ${l.inputSize} floats, layer ${i - 1} gives ${actor.body[i - 1]!.outputSize}`);
  });
  if (actor.normalizer && actor.normalizer.mean.length !== total) fail(`its normaliser has ${actor.normalizer.mean.length} entries for ${total} observation floats`);
  const C = spec.actions.continuous;
  if ((actor.continuous?.size ?? 0) !== C) fail(`it has ${actor.continuous?.size ?? 0} continuous actions, the spec ${C}`);
  const branches = actor.discrete?.branches ?? [];
  if (branches.join(',') !== spec.actions.discrete.join(',')) fail(`its discrete branches are [${branches.join(', ')}], the spec's [${spec.actions.discrete.join(', ')}]`);
}
