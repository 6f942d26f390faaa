import { readFileSync } from 'node:fs';
import * as ortNode from 'onnxruntime-node';
import * as ortWeb from 'onnxruntime-web';
import { beforeAll, describe, expect, it } from 'vitest';
import { MetadataKeys } from '../../bridge/inference/ModelContract.js';
import { readModelHeader } from '../../bridge/inference/ModelMetadata.js';
import { onnxTypes } from '../../bridge/inference/OnnxSchema.js';
import type { BehaviorSpec } from '../../bridge/spec/BehaviorSpec.js';
import { buildPolicyModel } from '../../onnx-export/PolicyModel.js';
import { packageVersion } from '../../onnx-export/packageVersion.js';
import { selectBackend } from '../../trainer/backend/selectBackend.js';
import { ActorCritic } from '../../trainer/networks/ActorCritic.js';
import { continuousSpec, discreteSpec, hybridSpec } from './testPolicies.js';
import { MLAGENTS_FIXTURES } from '../fixtures/mlagentsFixtures.js';

const FIXTURES = MLAGENTS_FIXTURES;

interface RawValueInfo {
  name: string;
  type: { tensor_type: { elem_type: number; shape?: { dim?: { dim_value?: number; dim_param?: string }[] } } };
}
interface RawGraph {
  node: { op_type: string; input?: string[]; output: string[]; attribute?: { name: string; f?: number; i?: number }[] }[];
  initializer: { name: string; dims?: number[]; data_type: number; raw_data?: Uint8Array }[];
  input: RawValueInfo[];
  output: RawValueInfo[];
}

function decode(bytes: Uint8Array): { ir_version: number; opset_import: { version: number }[]; graph: RawGraph } {
  const type = onnxTypes.ModelProto;
  return type.toObject(type.decode(bytes), { longs: Number, bytes: Uint8Array }) as ReturnType<typeof decode>;
}

/** name: dtype [dims] of every output, with ML-Agents' unnamed batch dims written as 'batch'. */
function outputSignature(graph: RawGraph): string[] {
  return graph.output.map((o) => {
    const dims = (o.type.tensor_type.shape?.dim ?? []).map((d, i) => (d.dim_param !== undefined ? (i === 0 ? 'batch' : d.dim_param) : d.dim_value));
    return `${o.name}: ${o.type.tensor_type.elem_type} [${dims.join(', ')}]`;
  });
}

/** The value of the initializer behind a constant output (Identity of an initializer). */
function constantOutput(graph: RawGraph, name: string): { dims: number[]; values: number[] } {
  const node = graph.node.find((n) => n.output[0] === name && n.op_type === 'Identity')!;
  const init = graph.initializer.find((t) => t.name === node.input![0])!;
  // A copy: in Node, protobufjs hands out Buffers that are views into a shared pool.
  const raw = init.raw_data!;
  return { dims: init.dims ?? [], values: Array.from(new Float32Array(new Uint8Array(raw).buffer)) };
}

function exportOf(spec: BehaviorSpec, normalize = false, step = 1234): Uint8Array {
  const net = new ActorCritic({ spec, network: { normalize, hidden_units: 16, num_layers: 2 }, rewardSignals: ['extrinsic'], seed: 1 });
  try {
    return buildPolicyModel(net.describe(), spec, { trainerStep: step, version: packageVersion() });
  } finally {
    net.dispose();
  }
}

describe("exported models follow ML-Agents' model API 3", () => {
  beforeAll(async () => {
    await selectBackend('wasm');
    ortWeb.env.wasm.numThreads = 1;
  });

  it("a discrete policy has exactly the inputs, outputs, types, constants, opset and IR version of ML-Agents' own SoccerTwos export", () => {
    const soccer: BehaviorSpec = {
      name: 'SoccerTwos',
      observations: [
        { name: 'forward', shape: [264], kind: 'rays' },
        { name: 'backward', shape: [72], kind: 'rays' },
      ],
      actions: { continuous: 0, discrete: [3, 3, 3] },
      teamCount: 2,
      maxStep: 0,
    };
    const ours = decode(exportOf(soccer));
    const theirs = decode(readFileSync(`${FIXTURES}/CarterSullivan_asdff_SoccerTwos.onnx`));
    expect(ours.ir_version).toBe(theirs.ir_version);
    expect(ours.opset_import.map((o) => o.version)).toEqual(theirs.opset_import.map((o) => o.version));
    expect(ours.graph.input.map((i) => i.name)).toEqual(theirs.graph.input.map((i) => i.name));
    expect(outputSignature(ours.graph)).toEqual(outputSignature(theirs.graph));
    for (const name of ['version_number', 'memory_size', 'discrete_action_output_shape']) {
      expect(constantOutput(ours.graph, name)).toEqual(constantOutput(theirs.graph, name));
    }
    // Same masking and sampling construction, op for op.
    const ops = (g: RawGraph) => g.node.map((n) => n.op_type).filter((op) => ['Slice', 'Softmax', 'Log', 'Multinomial', 'ArgMax', 'Sub'].includes(op)).sort();
    expect(ops(ours.graph)).toEqual(ops(theirs.graph));
    const multinomial = (g: RawGraph) => g.node.find((n) => n.op_type === 'Multinomial')!.attribute!.map((a) => `${a.name}=${a.i}`).sort();
    expect(multinomial(ours.graph)).toEqual(multinomial(theirs.graph));
  });

  it('continuous and hybrid policies list their outputs in ML-Agents order with batch axes named', async () => {
    const hybrid = decode(exportOf(hybridSpec));
    expect(hybrid.graph.input.map((i) => i.name)).toEqual(['obs_0', 'obs_1', 'action_masks']);
    expect(outputSignature(hybrid.graph)).toEqual([
      'version_number: 1 [1]',
      'memory_size: 1 [1]',
      'continuous_actions: 1 [batch, 2]',
      'continuous_action_output_shape: 1 [1]',
      'deterministic_continuous_actions: 1 [batch, 2]',
      'discrete_actions: 7 [batch, 2]',
      'discrete_action_output_shape: 1 [1, 2]',
      'deterministic_discrete_actions: 7 [batch, 2]',
    ]);
    expect(constantOutput(hybrid.graph, 'continuous_action_output_shape')).toEqual({ dims: [1], values: [2] });
    expect(constantOutput(hybrid.graph, 'discrete_action_output_shape')).toEqual({ dims: [1, 2], values: [3, 2] });
    const continuous = decode(exportOf(continuousSpec));
    // No discrete branches: no action_masks input (as ML-Agents' continuous models).
    expect(continuous.graph.input.map((i) => i.name)).toEqual(['obs_0']);
    expect(continuous.graph.output.map((o) => o.name)).toEqual([
      'version_number',
      'memory_size',
      'continuous_actions',
      'continuous_action_output_shape',
      'deterministic_continuous_actions',
    ]);
    // Multi-dimensional observations keep their shape on the input, after the batch axis.
    const discrete = decode(exportOf(discreteSpec));
    expect(discrete.graph.input[0]!.type.tensor_type.shape!.dim!.map((d) => d.dim_param ?? d.dim_value)).toEqual(['batch', 2, 3]);
  });

  it('metadata names the behavior, its observations and actions, the trainer step and the three-rl-agents version', () => {
    const header = readModelHeader(exportOf(hybridSpec, true, 98765));
    expect(header.producerName).toBe('three-rl-agents');
    expect(header.opset).toBe(9);
    expect(header.props[MetadataKeys.behaviorName]).toBe('Hybrid');
    expect(header.threeRl).toEqual({
      behaviorName: 'Hybrid',
      observations: [
        { input: 'obs_0', name: 'state', shape: [3], kind: 'vector' },
        { input: 'obs_1', name: 'rays', shape: [6], kind: 'rays' },
      ],
      actions: { continuous: 2, discrete: [3, 2] },
      trainerStep: 98765,
      version: packageVersion(),
      normalize: true,
    });
    expect(packageVersion()).toBe(JSON.parse(readFileSync('package.json', 'utf8')).version);
  });

  it('loads in onnxruntime-node and onnxruntime-web with graph optimisation disabled and at its highest level', async () => {
    for (const spec of [discreteSpec, continuousSpec, hybridSpec]) {
      const bytes = exportOf(spec, true);
      for (const [ort, name] of [[ortNode, 'node'], [ortWeb, 'web']] as const) {
        for (const level of ['disabled', 'all'] as const) {
          const session = await (ort.InferenceSession as typeof ortWeb.InferenceSession).create(bytes, { graphOptimizationLevel: level });
          expect(session.inputNames.length, `${spec.name} ${name} ${level}`).toBe(spec.observations.length + (spec.actions.discrete.length > 0 ? 1 : 0));
          for (const meta of session.inputMetadata) expect(meta.isTensor && meta.shape[0]).toBe('batch');
          await session.release();
        }
      }
    }
  });

  it('refuses an actor that does not fit the spec, naming the mismatch', () => {
    const net = new ActorCritic({ spec: hybridSpec, network: { normalize: false, hidden_units: 8, num_layers: 1 }, rewardSignals: ['extrinsic'], seed: 1 });
    try {
      const other: BehaviorSpec = { ...hybridSpec, actions: { continuous: 2, discrete: [3, 3] } };
      expect(() => buildPolicyModel(net.describe(), other, { trainerStep: 0, version: 't' })).toThrow(/discrete branches are \[3, 2\], the spec's \[3, 3\]/);
      const wider: BehaviorSpec = { ...hybridSpec, observations: [{ name: 'state', shape: [4], kind: 'vector' }, hybridSpec.observations[1]!] };
      expect(() => buildPolicyModel(net.describe(), wider, { trainerStep: 0, version: 't' })).toThrow(/first layer reads 9 floats, the spec's observations are 10/);
      expect(() => buildPolicyModel(net.describe(), hybridSpec, { trainerStep: -1, version: 't' })).toThrow(/trainerStep/);
    } finally {
      net.dispose();
    }
  });
});
