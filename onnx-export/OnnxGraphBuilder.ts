import { OnnxAttributeType, OnnxDataType, onnxTypes } from '../bridge/inference/OnnxSchema.js';

/** A dimension of a graph input or output: a size, or a symbolic name such as 'batch'. */
export type Dim = number | string;

/** Element types the policy graphs use. */
export type ElementType = 'float32' | 'int64';

/** A node attribute value; arrays of integers become INTS, of floats FLOATS. */
export type AttributeValue =
  | { int: number }
  | { float: number }
  | { ints: readonly number[] }
  | { floats: readonly number[] }
  | { tensor: { dims: readonly number[]; values: Float32Array } };

/** What `toBytes` writes into the ModelProto besides the graph. */
export interface ModelHeader {
  irVersion: number;
  opset: number;
  producerName: string;
  producerVersion: string;
  metadata: Record<string, string>;
}

const ELEMENT: Record<ElementType, number> = { float32: OnnxDataType.FLOAT, int64: OnnxDataType.INT64 };

/**
 * Collects the nodes, initializers and typed inputs/outputs of one ONNX graph and encodes the
 * ModelProto with protobufjs. Names are checked as they are added: every node input must exist
 * already (graphs are written in topological order, as ONNX requires), and no name is produced
 * twice.
 */
export class OnnxGraphBuilder {
  private readonly nodes: object[] = [];
  private readonly initializers: object[] = [];
  private readonly inputs: object[] = [];
  private readonly outputs: object[] = [];
  private readonly known = new Set<string>();
  private readonly nodeNames = new Map<string, number>();

  constructor(readonly name: string) {}

  /** Declares a graph input. */
  input(name: string, type: ElementType, dims: readonly Dim[]): string {
    this.define(name);
    this.inputs.push(valueInfo(name, type, dims));
    return name;
  }

  /** Adds a float32 constant tensor (weights, normaliser statistics, ML-Agents' constant outputs). */
  initializer(name: string, values: Float32Array, dims: readonly number[]): string {
    const size = dims.reduce((a, b) => a * b, 1);
    if (values.length !== size) throw new Error(`OnnxGraphBuilder: initializer ${name} has ${values.length} values for dims [${dims.join(', ')}]`);
    this.define(name);
    this.initializers.push(floatTensor(name, values, dims));
    return name;
  }

  /** Adds a node; returns its output names. Node names follow the op type (Gemm, Gemm_1, ...). */
  node(opType: string, inputs: readonly string[], outputs: readonly string[], attributes: Record<string, AttributeValue> = {}): string[] {
    for (const i of inputs) {
      if (!this.known.has(i)) throw new Error(`OnnxGraphBuilder: ${opType} reads '${i}' before anything produces it`);
    }
    for (const o of outputs) this.define(o);
    const count = this.nodeNames.get(opType) ?? 0;
    this.nodeNames.set(opType, count + 1);
    this.nodes.push({
      name: count === 0 ? opType : `${opType}_${count}`,
      op_type: opType,
      input: [...inputs],
      output: [...outputs],
      attribute: Object.entries(attributes).map(([key, value]) => attribute(key, value)),
    });
    return [...outputs];
  }

  /** Declares an existing value as a graph output, in call order. */
  output(name: string, type: ElementType, dims: readonly Dim[]): void {
    if (!this.known.has(name)) throw new Error(`OnnxGraphBuilder: output '${name}' is not produced by the graph`);
    this.outputs.push(valueInfo(name, type, dims));
  }

  /** The serialized ModelProto. */
  toBytes(header: ModelHeader): Uint8Array {
    const model = {
      ir_version: header.irVersion,
      producer_name: header.producerName,
      producer_version: header.producerVersion,
      opset_import: [{ domain: '', version: header.opset }],
      graph: {
        name: this.name,
        node: this.nodes,
        initializer: this.initializers,
        input: this.inputs,
        output: this.outputs,
      },
      metadata_props: Object.entries(header.metadata).map(([key, value]) => ({ key, value })),
    };
    const type = onnxTypes.ModelProto;
    return type.encode(type.fromObject(model)).finish();
  }

  private define(name: string): void {
    if (!name) throw new Error('OnnxGraphBuilder: tensor names must not be empty');
    if (this.known.has(name)) throw new Error(`OnnxGraphBuilder: '${name}' is defined twice`);
    this.known.add(name);
  }
}

function valueInfo(name: string, type: ElementType, dims: readonly Dim[]): object {
  return {
    name,
    type: {
      tensor_type: {
        elem_type: ELEMENT[type],
        shape: { dim: dims.map((d) => (typeof d === 'number' ? { dim_value: d } : { dim_param: d })) },
      },
    },
  };
}

function floatTensor(name: string, values: Float32Array, dims: readonly number[]): object {
  // raw_data is little-endian by the ONNX spec; Float32Array bytes are platform order, little-endian
  // on every platform Node and browsers run on.
  const raw = new Uint8Array(values.buffer.slice(values.byteOffset, values.byteOffset + values.byteLength));
  return { name, dims: [...dims], data_type: OnnxDataType.FLOAT, raw_data: raw };
}

function attribute(name: string, value: AttributeValue): object {
  if ('int' in value) return { name, type: OnnxAttributeType.INT, i: value.int };
  if ('float' in value) return { name, type: OnnxAttributeType.FLOAT, f: value.float };
  if ('ints' in value) return { name, type: OnnxAttributeType.INTS, ints: [...value.ints] };
  if ('floats' in value) return { name, type: OnnxAttributeType.FLOATS, floats: [...value.floats] };
  return { name, type: OnnxAttributeType.TENSOR, t: floatTensor('', value.tensor.values, value.tensor.dims) };
}
