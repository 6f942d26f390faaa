import type { ActionSpec, ObservationKind } from '../spec/BehaviorSpec.js';
import { MetadataKeys } from './ModelContract.js';
import { onnxTypes } from './OnnxSchema.js';

/** One observation input as three-rl-agents' metadata describes it. */
export interface ModelObservation {
  input: string;
  name: string;
  shape: number[];
  kind: ObservationKind;
}

/** What a model exported by three-rl-agents says about itself; ML-Agents' models have none. */
export interface ThreeRlModelMetadata {
  behaviorName: string;
  observations: ModelObservation[];
  actions: ActionSpec;
  trainerStep: number;
  version: string;
  normalize: boolean;
}

/** The header of a model file: producer, opset and metadata_props, read without decoding the graph. */
export interface ModelHeader {
  producerName: string;
  producerVersion: string;
  irVersion: number;
  opset: number | null;
  props: Record<string, string>;
  /** Parsed three-rl-agents metadata, or null for models made elsewhere (e.g. by ML-Agents). */
  threeRl: ThreeRlModelMetadata | null;
}

interface RawHeader {
  ir_version?: number;
  producer_name?: string;
  producer_version?: string;
  opset_import?: { domain?: string; version?: number }[];
  metadata_props?: { key?: string; value?: string }[];
}

/** Reads a model's header; throws naming the file when the bytes are not an ONNX model. */
export function readModelHeader(bytes: Uint8Array, source = 'the model'): ModelHeader {
  let raw: RawHeader;
  try {
    const type = onnxTypes.ModelHeaderProto;
    raw = type.toObject(type.decode(bytes), { longs: Number, defaults: false }) as RawHeader;
  } catch (e) {
    throw new Error(`OnnxPolicy: ${source} is not an ONNX model (${(e as Error).message})`);
  }
  const props: Record<string, string> = {};
  for (const p of raw.metadata_props ?? []) if (p.key) props[p.key] = p.value ?? '';
  const opset = (raw.opset_import ?? []).find((o) => !o.domain || o.domain === 'ai.onnx')?.version ?? null;
  return {
    producerName: raw.producer_name ?? '',
    producerVersion: raw.producer_version ?? '',
    irVersion: raw.ir_version ?? 0,
    opset,
    props,
    threeRl: parseThreeRlMetadata(props, source),
  };
}

function parseThreeRlMetadata(props: Record<string, string>, source: string): ThreeRlModelMetadata | null {
  if (!(MetadataKeys.behaviorName in props)) return null;
  const json = (key: string): unknown => {
    try {
      return JSON.parse(props[key] ?? '');
    } catch {
      throw new Error(`OnnxPolicy: ${source} has a malformed metadata entry ${key}: ${JSON.stringify(props[key])}; re-export the model with \`three-rl export\``);
    }
  };
  const observations = json(MetadataKeys.observations) as ModelObservation[];
  const actions = json(MetadataKeys.actions) as ActionSpec;
  if (!Array.isArray(observations) || !observations.every((o) => typeof o?.name === 'string' && typeof o?.input === 'string' && Array.isArray(o?.shape))) {
    throw new Error(`OnnxPolicy: ${source} metadata ${MetadataKeys.observations} is not a list of {input, name, shape}; re-export the model`);
  }
  if (!Number.isInteger(actions?.continuous) || !Array.isArray(actions?.discrete)) {
    throw new Error(`OnnxPolicy: ${source} metadata ${MetadataKeys.actions} is not {continuous, discrete}; re-export the model`);
  }
  return {
    behaviorName: props[MetadataKeys.behaviorName]!,
    observations,
    actions,
    trainerStep: Number(props[MetadataKeys.trainerStep] ?? NaN),
    version: props[MetadataKeys.version] ?? '',
    normalize: props[MetadataKeys.normalize] === 'true',
  };
}
