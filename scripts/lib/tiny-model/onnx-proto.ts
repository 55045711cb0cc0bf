/**
 * Encoders for the few ONNX messages a small inference graph needs. Field numbers are those of
 * onnx/onnx.proto (checked against onnxruntime-web's generated lib/onnxjs/ort-schema/protobuf/onnx.js).
 */
import { ProtobufWriter } from './protobuf-writer.ts';

/** TensorProto.DataType values used here. */
export const DataType = { FLOAT: 1, INT64: 7 } as const;
type DataTypeValue = (typeof DataType)[keyof typeof DataType];

/** AttributeProto.AttributeType values used here. */
const AttributeType = { FLOAT: 1, INT: 2, INTS: 7 } as const;

export interface TensorSpec {
  name: string;
  dims: number[];
  data: Float32Array | BigInt64Array;
}

export interface NodeSpec {
  opType: string;
  inputs: string[];
  outputs: string[];
  name?: string;
  attributes?: Record<string, number | number[]>;
}

export interface ValueInfoSpec {
  name: string;
  elemType: DataTypeValue;
  /** A number is a fixed size; a string is a symbolic (dynamic) dimension. */
  shape: Array<number | string>;
}

export interface ModelSpec {
  graphName: string;
  nodes: NodeSpec[];
  initializers: TensorSpec[];
  inputs: ValueInfoSpec[];
  outputs: ValueInfoSpec[];
  /** Default opset version of the ai.onnx domain. */
  opset: number;
  irVersion: number;
  producerName: string;
}

export function encodeTensor(t: TensorSpec): ProtobufWriter {
  const w = new ProtobufWriter();
  if (t.dims.length > 0) w.packedVarints(1, t.dims); // dims; none for a scalar
  w.varint(2, t.data instanceof Float32Array ? DataType.FLOAT : DataType.INT64); // data_type
  w.string(8, t.name); // name
  // raw_data is little-endian per onnx.proto; every platform Node runs on here is little-endian.
  w.bytes(9, new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength));
  return w;
}

function encodeAttribute(name: string, value: number | number[]): ProtobufWriter {
  const w = new ProtobufWriter();
  w.string(1, name);
  if (Array.isArray(value)) {
    w.packedVarints(8, value); // ints
    w.varint(20, AttributeType.INTS);
  } else if (Number.isInteger(value)) {
    w.varint(3, value); // i
    w.varint(20, AttributeType.INT);
  } else {
    w.float(2, value); // f
    w.varint(20, AttributeType.FLOAT);
  }
  return w;
}

export function encodeNode(n: NodeSpec): ProtobufWriter {
  const w = new ProtobufWriter();
  for (const i of n.inputs) w.string(1, i);
  for (const o of n.outputs) w.string(2, o);
  if (n.name) w.string(3, n.name);
  w.string(4, n.opType);
  for (const [k, v] of Object.entries(n.attributes ?? {})) w.message(5, encodeAttribute(k, v));
  return w;
}

export function encodeValueInfo(v: ValueInfoSpec): ProtobufWriter {
  const shape = new ProtobufWriter();
  for (const d of v.shape) {
    const dim = new ProtobufWriter();
    if (typeof d === 'number') dim.varint(1, d); // dim_value
    else dim.string(2, d); // dim_param
    shape.message(1, dim);
  }
  const tensorType = new ProtobufWriter().varint(1, v.elemType).message(2, shape);
  const type = new ProtobufWriter().message(1, tensorType); // TypeProto.tensor_type
  return new ProtobufWriter().string(1, v.name).message(2, type);
}

export function encodeModel(m: ModelSpec): Uint8Array {
  const graph = new ProtobufWriter();
  for (const n of m.nodes) graph.message(1, encodeNode(n));
  graph.string(2, m.graphName);
  for (const t of m.initializers) graph.message(5, encodeTensor(t));
  for (const i of m.inputs) graph.message(11, encodeValueInfo(i));
  for (const o of m.outputs) graph.message(12, encodeValueInfo(o));

  const opset = new ProtobufWriter().string(1, '').varint(2, m.opset);
  return new ProtobufWriter()
    .varint(1, m.irVersion) // ir_version
    .string(2, m.producerName) // producer_name
    .message(7, graph) // graph
    .message(8, opset) // opset_import
    .finish();
}
