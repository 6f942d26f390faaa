import type { InferenceSession } from 'onnxruntime-web';
import { MODEL_API_VERSION, TensorNames, observationInputName } from './ModelContract.js';
import type { ModelHeader } from './ModelMetadata.js';
import type { OrtModule } from './OnnxRuntime.js';

/** One observation input of a model: obs_i with its non-batch dimensions. */
export interface ModelObservationInput {
  input: string;
  /** Dimensions after the batch axis. */
  dims: number[];
  size: number;
  /** The observation name from three-rl-agents metadata, when the model has it. */
  name: string | null;
}

/** What a policy model takes and gives, read from the session, its constant outputs and its header. */
export interface ModelSignature {
  /** File path, URL or 'bytes', for messages. */
  source: string;
  apiVersion: number;
  observations: ModelObservationInput[];
  /** Width of `action_masks`, or null when the model has no such input. */
  maskWidth: number | null;
  continuousSize: number;
  branchSizes: number[];
  outputNames: readonly string[];
  header: ModelHeader;
}

const OBS_INPUT = /^obs_(\d+)$/;

/**
 * Reads and checks a model's signature: inputs must be obs_0..obs_{n-1} (+ action_masks), and the
 * constant outputs (version_number, memory_size, *_action_output_shape) are read by running the
 * model once on a batch of one.
 */
export async function readModelSignature(session: InferenceSession, ort: OrtModule, header: ModelHeader, source: string): Promise<ModelSignature> {
  const fail = (why: string): never => {
    throw new Error(`OnnxPolicy: ${source} is not a policy OnnxPolicy can run: ${why}`);
  };
  const inputs = session.inputMetadata;
  if (!Array.isArray(inputs)) fail('this onnxruntime version does not report input shapes (needs onnxruntime 1.22 or newer)');
  const observations: ModelObservationInput[] = [];
  let maskWidth: number | null = null;
  for (const meta of inputs) {
    if (!meta.isTensor || meta.type !== 'float32') fail(`input ${meta.name} is not a float32 tensor`);
    const shape = (meta as InferenceSession.TensorValueMetadata).shape;
    const rest = shape.slice(1);
    if (shape.length < 2 || !rest.every((d): d is number => typeof d === 'number' && d > 0)) {
      fail(`input ${meta.name} has shape [${shape.join(', ')}]; expected [batch, fixed sizes...]`);
    }
    const dims = rest as number[];
    const m = OBS_INPUT.exec(meta.name);
    if (m) {
      const index = Number(m[1]);
      const named = header.threeRl?.observations.find((o) => o.input === meta.name)?.name ?? null;
      observations[index] = { input: meta.name, dims, size: dims.reduce((a, b) => a * b, 1), name: named };
    } else if (meta.name === TensorNames.actionMasks) {
      if (dims.length !== 1) fail(`action_masks has shape [${shape.join(', ')}]; expected [batch, sum of branch sizes]`);
      maskWidth = dims[0]!;
    } else if (meta.name === TensorNames.recurrentIn) {
      fail('it is a recurrent policy (input recurrent_in); memory (LSTM) models are not supported');
    } else {
      fail(
        `unexpected input '${meta.name}'; ML-Agents model API ${MODEL_API_VERSION} inputs are obs_0, obs_1, ... and action_masks ` +
          '(models from ML-Agents before release 2.0 use vector_observation / visual_observation_N: re-export them with a current ML-Agents)',
      );
    }
  }
  for (let i = 0; i < observations.length; i++) if (!observations[i]) fail(`it has no input ${observationInputName(i)} but has later observation inputs`);
  if (observations.length === 0) fail('it has no observation input (obs_0)');

  const outputNames = session.outputNames;
  for (const required of [TensorNames.versionNumber, TensorNames.memorySize]) {
    if (!outputNames.includes(required)) fail(`it has no output '${required}' (outputs: ${outputNames.join(', ')})`);
  }
  const constants = [TensorNames.versionNumber, TensorNames.memorySize, TensorNames.continuousActionOutputShape, TensorNames.discreteActionOutputShape].filter(
    (n) => outputNames.includes(n),
  );
  const feeds: Record<string, InstanceType<OrtModule['Tensor']>> = {};
  for (const o of observations) feeds[o.input] = new ort.Tensor('float32', new Float32Array(o.size), [1, ...o.dims]);
  if (maskWidth !== null) feeds[TensorNames.actionMasks] = new ort.Tensor('float32', new Float32Array(maskWidth).fill(1), [1, maskWidth]);
  const values = await session.run(feeds, constants);
  const read = (name: string): number[] => (values[name] ? Array.from(values[name]!.data as Float32Array, Number) : []);

  const apiVersion = read(TensorNames.versionNumber)[0] ?? NaN;
  if (apiVersion !== MODEL_API_VERSION) fail(`its version_number is ${apiVersion}; OnnxPolicy reads ML-Agents model API ${MODEL_API_VERSION} (ML-Agents 2.0 / release 18 and later)`);
  const memory = read(TensorNames.memorySize)[0] ?? 0;
  if (memory !== 0) fail(`its memory_size is ${memory}: recurrent (LSTM) policies are not supported`);
  const continuousSize = read(TensorNames.continuousActionOutputShape)[0] ?? 0;
  const branchSizes = read(TensorNames.discreteActionOutputShape);
  if (!Number.isInteger(continuousSize) || continuousSize < 0 || !branchSizes.every((k) => Number.isInteger(k) && k > 0)) {
    fail(`its action shapes are continuous ${continuousSize}, discrete [${branchSizes.join(', ')}]`);
  }
  if (continuousSize === 0 && branchSizes.length === 0) fail('it has neither continuous_action_output_shape nor discrete_action_output_shape');
  const needs: string[] = [];
  if (continuousSize > 0) needs.push(TensorNames.continuousActions, TensorNames.deterministicContinuousActions);
  if (branchSizes.length > 0) needs.push(TensorNames.discreteActions, TensorNames.deterministicDiscreteActions);
  for (const n of needs) if (!outputNames.includes(n)) fail(`it has no output '${n}' (outputs: ${outputNames.join(', ')})`);
  const width = branchSizes.reduce((a, b) => a + b, 0);
  if (branchSizes.length > 0 && maskWidth !== width) {
    fail(`its action_masks input is ${maskWidth === null ? 'missing' : `${maskWidth} wide`} for branches [${branchSizes.join(', ')}] (sum ${width})`);
  }
  return { source, apiVersion, observations, maskWidth, continuousSize, branchSizes, outputNames, header };
}

/** One line: the model's inputs (with observation names when known) and its actions. */
export function describeModelSignature(sig: ModelSignature): string {
  const inputs = sig.observations.map((o) => `${o.input}${o.name ? ` '${o.name}'` : ''} [${o.dims.join('x')}]`);
  if (sig.maskWidth !== null) inputs.push(`${TensorNames.actionMasks} [${sig.maskWidth}]`);
  const behavior = sig.header.threeRl ? ` (behavior '${sig.header.threeRl.behaviorName}')` : '';
  return `${inputs.join(', ')} -> ${describeActions(sig.continuousSize, sig.branchSizes)}${behavior}`;
}

/** "continuous 2 + discrete [3, 3]"-style text, the same for models and behaviors. */
export function describeActions(continuous: number, branches: readonly number[]): string {
  const parts: string[] = [];
  if (continuous > 0) parts.push(`continuous ${continuous}`);
  if (branches.length > 0) parts.push(`discrete [${branches.join(', ')}]`);
  return parts.join(' + ') || 'no actions';
}
