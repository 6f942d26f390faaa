/**
 * The part of onnx.proto (github.com/onnx/onnx, onnx/onnx.proto, proto2 syntax) that policies use,
 * as a protobufjs JSON descriptor: the exporter writes models with it and OnnxPolicy reads model
 * metadata with it. Field numbers and types are onnx.proto's; fields left out (sparse tensors,
 * training info, functions, ...) are skipped on decode, as protobuf readers skip unknown fields.
 * No npm package ships a maintained onnx.proto for protobufjs (`onnx-proto` stopped at ONNX 1.6),
 * so the subset lives here, on protobufjs, which is maintained.
 */
import protobuf from 'protobufjs/light.js';

type Fields = Record<string, { type: string; id: number; rule?: 'repeated' }>;

const f = (id: number, type: string, repeated = false) => (repeated ? { type, id, rule: 'repeated' as const } : { type, id });

const modelFields: Fields = {
  ir_version: f(1, 'int64'),
  producer_name: f(2, 'string'),
  producer_version: f(3, 'string'),
  domain: f(4, 'string'),
  model_version: f(5, 'int64'),
  doc_string: f(6, 'string'),
  graph: f(7, 'GraphProto'),
  opset_import: f(8, 'OperatorSetIdProto', true),
  metadata_props: f(14, 'StringStringEntryProto', true),
};

const descriptor = {
  nested: {
    onnx: {
      nested: {
        ModelProto: { fields: modelFields },
        // The ModelProto without its graph: reading the metadata of a large model decodes only a few bytes.
        ModelHeaderProto: {
          fields: Object.fromEntries(Object.entries(modelFields).filter(([name]) => name !== 'graph')),
        },
        StringStringEntryProto: { fields: { key: f(1, 'string'), value: f(2, 'string') } },
        OperatorSetIdProto: { fields: { domain: f(1, 'string'), version: f(2, 'int64') } },
        GraphProto: {
          fields: {
            node: f(1, 'NodeProto', true),
            name: f(2, 'string'),
            initializer: f(5, 'TensorProto', true),
            doc_string: f(10, 'string'),
            input: f(11, 'ValueInfoProto', true),
            output: f(12, 'ValueInfoProto', true),
            value_info: f(13, 'ValueInfoProto', true),
          },
        },
        NodeProto: {
          fields: {
            input: f(1, 'string', true),
            output: f(2, 'string', true),
            name: f(3, 'string'),
            op_type: f(4, 'string'),
            attribute: f(5, 'AttributeProto', true),
            doc_string: f(6, 'string'),
            domain: f(7, 'string'),
          },
        },
        AttributeProto: {
          fields: {
            name: f(1, 'string'),
            f: f(2, 'float'),
            i: f(3, 'int64'),
            s: f(4, 'bytes'),
            t: f(5, 'TensorProto'),
            g: f(6, 'GraphProto'),
            floats: f(7, 'float', true),
            ints: f(8, 'int64', true),
            strings: f(9, 'bytes', true),
            tensors: f(10, 'TensorProto', true),
            graphs: f(11, 'GraphProto', true),
            doc_string: f(13, 'string'),
            type: f(20, 'int32'),
          },
        },
        ValueInfoProto: { fields: { name: f(1, 'string'), type: f(2, 'TypeProto'), doc_string: f(3, 'string') } },
        TensorProto: {
          fields: {
            dims: f(1, 'int64', true),
            data_type: f(2, 'int32'),
            float_data: f(4, 'float', true),
            int32_data: f(5, 'int32', true),
            string_data: f(6, 'bytes', true),
            int64_data: f(7, 'int64', true),
            name: f(8, 'string'),
            raw_data: f(9, 'bytes'),
            double_data: f(10, 'double', true),
            uint64_data: f(11, 'uint64', true),
            doc_string: f(12, 'string'),
          },
        },
        TypeProto: {
          oneofs: { value: { oneof: ['tensor_type'] } },
          fields: { tensor_type: f(1, 'TypeProtoTensor'), denotation: f(6, 'string') },
        },
        TypeProtoTensor: { fields: { elem_type: f(1, 'int32'), shape: f(2, 'TensorShapeProto') } },
        TensorShapeProto: { fields: { dim: f(1, 'Dimension', true) } },
        Dimension: {
          oneofs: { value: { oneof: ['dim_value', 'dim_param'] } },
          fields: { dim_value: f(1, 'int64'), dim_param: f(2, 'string'), denotation: f(3, 'string') },
        },
      },
    },
  },
};

/** onnx.proto's TensorProto.DataType values that policies use. */
export const OnnxDataType = { FLOAT: 1, UINT8: 2, INT32: 6, INT64: 7, BOOL: 9 } as const;

/** onnx.proto's AttributeProto.AttributeType values that policies use. */
export const OnnxAttributeType = { FLOAT: 1, INT: 2, STRING: 3, TENSOR: 4, FLOATS: 6, INTS: 7 } as const;

const root = protobuf.Root.fromJSON(descriptor);

/** The protobufjs types of the ONNX messages above. */
export const onnxTypes = {
  ModelProto: root.lookupType('onnx.ModelProto'),
  ModelHeaderProto: root.lookupType('onnx.ModelHeaderProto'),
  GraphProto: root.lookupType('onnx.GraphProto'),
  TensorProto: root.lookupType('onnx.TensorProto'),
};
