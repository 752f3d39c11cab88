import { ProtoWriter } from './protobuf';

/**
 * Plain objects for the parts of onnx.proto we emit, and their encoders. Field numbers are from
 * onnx/onnx.proto (IR version 8); only what an inference model needs is covered.
 */
export const TensorDataType = { FLOAT: 1, INT32: 6, INT64: 7 } as const;
export type TensorDataTypeCode = (typeof TensorDataType)[keyof typeof TensorDataType];

export interface TensorProto {
  readonly name: string;
  readonly dims: readonly number[];
  readonly dataType: TensorDataTypeCode;
  /** Little-endian element bytes. */
  readonly raw: Uint8Array;
}

export type AttributeValue =
  | { readonly type: 'float'; readonly value: number }
  | { readonly type: 'int'; readonly value: number }
  | { readonly type: 'string'; readonly value: string }
  | { readonly type: 'ints'; readonly value: readonly number[] };

export interface NodeProto {
  readonly name: string;
  readonly opType: string;
  readonly inputs: readonly string[];
  readonly outputs: readonly string[];
  readonly attributes?: Readonly<Record<string, AttributeValue>>;
}

/** A float tensor whose dims are numbers or symbolic names (e.g. 'batch'). */
export interface ValueInfoProto {
  readonly name: string;
  readonly elemType: TensorDataTypeCode;
  readonly dims: ReadonlyArray<number | string>;
}

export interface GraphProto {
  readonly name: string;
  readonly nodes: readonly NodeProto[];
  readonly initializers: readonly TensorProto[];
  readonly inputs: readonly ValueInfoProto[];
  readonly outputs: readonly ValueInfoProto[];
}

export interface ModelProto {
  readonly irVersion: number;
  readonly opsetVersion: number;
  readonly producerName: string;
  readonly producerVersion: string;
  readonly graph: GraphProto;
  readonly docString?: string;
  readonly metadata?: Readonly<Record<string, string>>;
}

const ATTRIBUTE_TYPE = { float: 1, int: 2, string: 3, ints: 7 } as const;

export function encodeTensor(t: TensorProto): Uint8Array {
  return new ProtoWriter().packedInts(1, t.dims).int(2, t.dataType).string(8, t.name).bytes(9, t.raw).finish();
}

function encodeAttribute(name: string, a: AttributeValue): Uint8Array {
  const w = new ProtoWriter().string(1, name).int(20, ATTRIBUTE_TYPE[a.type]);
  switch (a.type) {
    case 'float':
      return w.float(2, a.value).finish();
    case 'int':
      return w.int(3, a.value).finish();
    case 'string':
      return w.string(4, a.value).finish();
    case 'ints':
      // AttributeProto.ints is proto2 and unpacked in onnx.proto; write one tag per element.
      for (const v of a.value) w.int(8, v);
      return w.finish();
  }
}

export function encodeNode(n: NodeProto): Uint8Array {
  const w = new ProtoWriter();
  for (const i of n.inputs) w.string(1, i);
  for (const o of n.outputs) w.string(2, o);
  w.string(3, n.name).string(4, n.opType);
  for (const [name, value] of Object.entries(n.attributes ?? {})) w.message(5, encodeAttribute(name, value));
  return w.finish();
}

export function encodeValueInfo(v: ValueInfoProto): Uint8Array {
  const shape = new ProtoWriter();
  for (const d of v.dims) {
    const dim = typeof d === 'number' ? new ProtoWriter().int(1, d) : new ProtoWriter().string(2, d);
    shape.message(1, dim.finish());
  }
  const tensorType = new ProtoWriter().int(1, v.elemType).message(2, shape.finish()).finish();
  const type = new ProtoWriter().message(1, tensorType).finish();
  return new ProtoWriter().string(1, v.name).message(2, type).finish();
}

export function encodeGraph(g: GraphProto): Uint8Array {
  const w = new ProtoWriter();
  for (const n of g.nodes) w.message(1, encodeNode(n));
  w.string(2, g.name);
  for (const t of g.initializers) w.message(5, encodeTensor(t));
  for (const i of g.inputs) w.message(11, encodeValueInfo(i));
  for (const o of g.outputs) w.message(12, encodeValueInfo(o));
  return w.finish();
}

export function encodeModel(m: ModelProto): Uint8Array {
  const w = new ProtoWriter()
    .int(1, m.irVersion)
    .string(2, m.producerName)
    .string(3, m.producerVersion);
  if (m.docString) w.string(6, m.docString);
  w.message(7, encodeGraph(m.graph));
  // Default ("ai.onnx") domain: the domain field is left empty.
  w.message(8, new ProtoWriter().int(2, m.opsetVersion).finish());
  for (const [key, value] of Object.entries(m.metadata ?? {})) w.message(14, new ProtoWriter().string(1, key).string(2, value).finish());
  return w.finish();
}
