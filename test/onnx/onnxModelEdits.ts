/**
 * Test-only edits of exported models: expose intermediate tensors as outputs, and give the
 * sampling nodes seeds so that sampled actions repeat from run to run.
 */
import { OnnxDataType, onnxTypes } from '../../bridge/inference/OnnxSchema.js';

interface RawNode {
  op_type: string;
  attribute?: { name: string; type: number; f?: number }[];
}
interface RawModel {
  graph: { node: RawNode[]; output: object[] };
}

function edit(bytes: Uint8Array, change: (model: RawModel) => void): Uint8Array {
  const type = onnxTypes.ModelProto;
  const model = type.toObject(type.decode(bytes), { bytes: Uint8Array }) as RawModel;
  change(model);
  return type.encode(type.fromObject(model)).finish();
}

/** The model with these float tensors added as graph outputs (shape left to the runtime). */
export function exposeOutputs(bytes: Uint8Array, names: readonly string[]): Uint8Array {
  return edit(bytes, (model) => {
    for (const name of names) model.graph.output.push({ name, type: { tensor_type: { elem_type: OnnxDataType.FLOAT } } });
  });
}

/** The model with a `seed` on every Multinomial and RandomNormalLike node (seed, seed + 1, ...). */
export function seedSampling(bytes: Uint8Array, seed: number): Uint8Array {
  let next = seed;
  return edit(bytes, (model) => {
    for (const node of model.graph.node) {
      if (node.op_type !== 'Multinomial' && node.op_type !== 'RandomNormalLike') continue;
      (node.attribute ??= []).push({ name: 'seed', type: 1, f: next++ });
    }
  });
}
