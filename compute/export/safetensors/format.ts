import { SafetensorsError } from './safetensors-error';

/**
 * The safetensors container (huggingface/safetensors): an 8-byte little-endian header length N,
 * N bytes of JSON `{ name: { dtype, shape, data_offsets: [begin, end] }, __metadata__?: {string: string} }`,
 * then the tensor bytes, little-endian and row-major, with offsets relative to the end of the header.
 * We pad the header with spaces so the data starts 8-byte aligned, as the reference writer does.
 */
export type SafetensorsDtype = 'F32' | 'I32';

export interface SafetensorsTensor {
  readonly dtype: SafetensorsDtype;
  readonly shape: readonly number[];
  readonly data: Float32Array | Int32Array;
}

export interface SafetensorsFile {
  /** In file (data offset) order. */
  readonly tensors: Map<string, SafetensorsTensor>;
  readonly metadata: Record<string, string>;
}

const BYTES_PER_ELEMENT = 4;
/** Refuse absurd headers before allocating: the reference implementation caps them at 100 MB too. */
const MAX_HEADER_BYTES = 100_000_000;
const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

function elementCount(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/** Serialises tensors in the given order. Names must not be `__metadata__`; metadata values are strings. */
export function writeSafetensors(tensors: ReadonlyMap<string, SafetensorsTensor>, metadata: Record<string, string> = {}): Uint8Array {
  const header: Record<string, unknown> = {};
  if (Object.keys(metadata).length > 0) header['__metadata__'] = metadata;
  let offset = 0;
  for (const [name, t] of tensors) {
    if (name === '__metadata__') throw new SafetensorsError('BAD_ENTRY', `'__metadata__' is reserved and cannot name a tensor`, name);
    const count = elementCount(t.shape);
    if (count !== t.data.length) {
      throw new SafetensorsError('BAD_ENTRY', `Tensor '${name}' has ${t.data.length} values but shape [${t.shape.join(', ')}] needs ${count}`, name);
    }
    const expected = t.dtype === 'F32' ? Float32Array : Int32Array;
    if (!(t.data instanceof expected)) throw new SafetensorsError('BAD_ENTRY', `Tensor '${name}' is declared ${t.dtype} but holds a ${t.data.constructor.name}`, name);
    header[name] = { dtype: t.dtype, shape: [...t.shape], data_offsets: [offset, offset + count * BYTES_PER_ELEMENT] };
    offset += count * BYTES_PER_ELEMENT;
  }
  let json = JSON.stringify(header);
  const encoder = new TextEncoder();
  let headerBytes = encoder.encode(json);
  const padding = (8 - (headerBytes.length % 8)) % 8;
  if (padding > 0) headerBytes = encoder.encode((json += ' '.repeat(padding)));

  const out = new Uint8Array(8 + headerBytes.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.length;
  for (const t of tensors.values()) {
    out.set(toLittleEndianBytes(t.data), at);
    at += t.data.byteLength;
  }
  return out;
}

function toLittleEndianBytes(data: Float32Array | Int32Array): Uint8Array {
  if (LITTLE_ENDIAN) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const bytes = new Uint8Array(data.byteLength);
  const view = new DataView(bytes.buffer);
  for (let i = 0; i < data.length; i++) {
    if (data instanceof Float32Array) view.setFloat32(i * 4, data[i]!, true);
    else view.setInt32(i * 4, data[i]!, true);
  }
  return bytes;
}

/** Parses and checks a whole file: every entry's dtype, shape and offsets, which must tile the data exactly. */
export function readSafetensors(bytes: Uint8Array): SafetensorsFile {
  if (bytes.length < 8) throw new SafetensorsError('TOO_SHORT', `A safetensors file starts with an 8-byte header length; got only ${bytes.length} bytes`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getBigUint64(0, true);
  if (headerLength > BigInt(Math.min(MAX_HEADER_BYTES, bytes.length - 8))) {
    throw new SafetensorsError('BAD_HEADER_LENGTH', `The header claims ${headerLength} bytes but the file has only ${bytes.length - 8} after the length prefix`);
  }
  const n = Number(headerLength);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n)));
  } catch (error) {
    throw new SafetensorsError('BAD_HEADER_JSON', `The header is not valid UTF-8 JSON: ${(error as Error).message}`);
  }
  if (typeof header !== 'object' || header === null || Array.isArray(header)) {
    throw new SafetensorsError('BAD_HEADER_JSON', 'The header must be a JSON object of tensor entries');
  }
  const dataStart = 8 + n;
  const dataLength = bytes.length - dataStart;
  const metadata = readMetadata((header as Record<string, unknown>)['__metadata__']);

  const entries: Array<{ name: string; dtype: SafetensorsDtype; shape: number[]; begin: number; end: number }> = [];
  for (const [name, raw] of Object.entries(header)) {
    if (name === '__metadata__') continue;
    entries.push({ name, ...readEntry(name, raw) });
  }
  entries.sort((a, b) => a.begin - b.begin || a.end - b.end);
  let expectedBegin = 0;
  for (const e of entries) {
    if (e.begin !== expectedBegin) {
      const what = e.begin < expectedBegin ? 'overlaps the previous tensor' : 'leaves a gap after the previous tensor';
      throw new SafetensorsError('BAD_OFFSETS', `Tensor '${e.name}' data_offsets [${e.begin}, ${e.end}] ${what} (expected to start at ${expectedBegin})`, e.name);
    }
    expectedBegin = e.end;
  }
  if (expectedBegin !== dataLength) {
    throw new SafetensorsError('BAD_OFFSETS', `The tensors cover ${expectedBegin} bytes but the file holds ${dataLength} bytes of data`);
  }

  const tensors = new Map<string, SafetensorsTensor>();
  for (const e of entries) {
    // slice() copies into a fresh, aligned buffer: offsets in the file need not be 4-byte aligned.
    const chunk = bytes.slice(dataStart + e.begin, dataStart + e.end);
    tensors.set(e.name, { dtype: e.dtype, shape: e.shape, data: fromLittleEndian(chunk, e.dtype) });
  }
  return { tensors, metadata };
}

function readMetadata(raw: unknown): Record<string, string> {
  if (raw === undefined) return {};
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new SafetensorsError('BAD_METADATA', '__metadata__ must be an object of strings');
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (typeof value !== 'string') throw new SafetensorsError('BAD_METADATA', `__metadata__.${key} must be a string, got ${JSON.stringify(value)}`);
    out[key] = value;
  }
  return out;
}

function readEntry(name: string, raw: unknown): { dtype: SafetensorsDtype; shape: number[]; begin: number; end: number } {
  if (typeof raw !== 'object' || raw === null) throw new SafetensorsError('BAD_ENTRY', `Entry '${name}' must be an object with dtype, shape and data_offsets`, name);
  const { dtype, shape, data_offsets: offsets } = raw as Record<string, unknown>;
  if (typeof dtype !== 'string') throw new SafetensorsError('BAD_ENTRY', `Entry '${name}' has no dtype`, name);
  if (dtype !== 'F32' && dtype !== 'I32') {
    throw new SafetensorsError('UNSUPPORTED_DTYPE', `Tensor '${name}' has dtype ${dtype}; only F32 and I32 are supported`, name);
  }
  const isIndex = (v: unknown): v is number => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
  if (!Array.isArray(shape) || !shape.every(isIndex)) {
    throw new SafetensorsError('BAD_ENTRY', `Tensor '${name}' shape must be an array of non-negative integers, got ${JSON.stringify(shape)}`, name);
  }
  if (!Array.isArray(offsets) || offsets.length !== 2 || !offsets.every(isIndex) || offsets[1]! < offsets[0]!) {
    throw new SafetensorsError('BAD_OFFSETS', `Tensor '${name}' data_offsets must be [begin, end] with begin <= end, got ${JSON.stringify(offsets)}`, name);
  }
  const [begin, end] = offsets as [number, number];
  const expected = elementCount(shape) * BYTES_PER_ELEMENT;
  if (end - begin !== expected) {
    throw new SafetensorsError('BAD_OFFSETS', `Tensor '${name}' of shape [${shape.join(', ')}] needs ${expected} bytes but data_offsets span ${end - begin}`, name);
  }
  return { dtype, shape, begin, end };
}

function fromLittleEndian(chunk: Uint8Array, dtype: SafetensorsDtype): Float32Array | Int32Array {
  if (LITTLE_ENDIAN) return dtype === 'F32' ? new Float32Array(chunk.buffer) : new Int32Array(chunk.buffer);
  const view = new DataView(chunk.buffer);
  const count = chunk.length / 4;
  const out = dtype === 'F32' ? new Float32Array(count) : new Int32Array(count);
  for (let i = 0; i < count; i++) out[i] = dtype === 'F32' ? view.getFloat32(i * 4, true) : view.getInt32(i * 4, true);
  return out;
}
