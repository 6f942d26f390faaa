import protobuf from 'protobufjs';
import type { HistogramData } from './TensorBoardHistogram.js';

/**
 * The subset of TensorFlow's event.proto, summary.proto, histogram.proto, tensor.proto and
 * tensor_shape.proto that scalar, histogram and text summaries need. Field numbers are the wire
 * contract with TensorBoard and must stay as in TensorFlow; everything else is left out.
 */
const EVENT_PROTO = `
syntax = "proto3";
package tensorboard;

message Event {
  double wall_time = 1;
  int64 step = 2;
  oneof what {
    string file_version = 3;
    Summary summary = 5;
  }
}

message Summary {
  message Value {
    string node_name = 7;
    string tag = 1;
    SummaryMetadata metadata = 9;
    oneof value {
      float simple_value = 2;
      HistogramProto histo = 5;
      TensorProto tensor = 8;
    }
  }
  repeated Value value = 1;
}

message SummaryMetadata {
  message PluginData {
    string plugin_name = 1;
    bytes content = 2;
  }
  PluginData plugin_data = 1;
  string display_name = 2;
  string summary_description = 3;
}

message HistogramProto {
  double min = 1;
  double max = 2;
  double num = 3;
  double sum = 4;
  double sum_squares = 5;
  repeated double bucket_limit = 6 [packed = true];
  repeated double bucket = 7 [packed = true];
}

enum DataType {
  DT_INVALID = 0;
  DT_FLOAT = 1;
  DT_STRING = 7;
}

message TensorShapeProto {
  message Dim {
    int64 size = 1;
    string name = 2;
  }
  repeated Dim dim = 2;
  bool unknown_rank = 3;
}

message TensorProto {
  DataType dtype = 1;
  TensorShapeProto tensor_shape = 2;
  repeated bytes string_val = 8;
}
`;

const EventType = protobuf.parse(EVENT_PROTO, { keepCase: true }).root.lookupType('tensorboard.Event');

/** What TensorBoard reads from the first record to know the file's format version. */
export const EVENT_FILE_VERSION = 'brain.Event:2';

/** The data type code of `string_val` tensors (TensorFlow's types.proto DT_STRING). */
const DT_STRING = 7;

/** One value of a summary: a scalar, a histogram or a text (shown by TensorBoard's plugins). */
export type SummaryValue =
  | { tag: string; scalar: number }
  | { tag: string; histogram: HistogramData }
  | { tag: string; text: string };

function toProtoValue(value: SummaryValue): Record<string, unknown> {
  if ('scalar' in value) return { tag: value.tag, simple_value: value.scalar };
  if ('histogram' in value) {
    const h = value.histogram;
    return {
      tag: value.tag,
      histo: {
        min: h.min,
        max: h.max,
        num: h.num,
        sum: h.sum,
        sum_squares: h.sumSquares,
        bucket_limit: h.bucketLimit,
        bucket: h.bucket,
      },
    };
  }
  // The text plugin's own content (TextPluginData version 0) serialises to zero bytes.
  return {
    tag: value.tag,
    metadata: { plugin_data: { plugin_name: 'text', content: new Uint8Array(0) } },
    tensor: {
      dtype: DT_STRING,
      tensor_shape: { dim: [{ size: 1 }] },
      string_val: [new TextEncoder().encode(value.text)],
    },
  };
}

/** The serialised Event that opens every event file. */
export function encodeFileVersionEvent(wallTimeSeconds: number): Uint8Array {
  return EventType.encode(EventType.fromObject({ wall_time: wallTimeSeconds, file_version: EVENT_FILE_VERSION })).finish();
}

/** A serialised Event carrying one Summary with the given values at `step`. */
export function encodeSummaryEvent(wallTimeSeconds: number, step: number, values: readonly SummaryValue[]): Uint8Array {
  return EventType.encode(
    EventType.fromObject({ wall_time: wallTimeSeconds, step, summary: { value: values.map(toProtoValue) } }),
  ).finish();
}
