import { DatasetError } from './dataset-error';

export type IdxDtype = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';
export type IdxData = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

export interface IdxArray {
  readonly dtype: IdxDtype;
  /** e.g. [60000, 28, 28] for MNIST training images, [60000] for its labels. */
  readonly dims: number[];
  readonly data: IdxData;
}

const DTYPES: Record<number, { dtype: IdxDtype; bytes: number }> = {
  0x08: { dtype: 'uint8', bytes: 1 },
  0x09: { dtype: 'int8', bytes: 1 },
  0x0b: { dtype: 'int16', bytes: 2 },
  0x0c: { dtype: 'int32', bytes: 4 },
  0x0d: { dtype: 'float32', bytes: 4 },
  0x0e: { dtype: 'float64', bytes: 8 },
};

/** Caps a caller (the upload server) puts on what a header may declare; without them only the file's length bounds it. */
export interface IdxLimits {
  /** The most any one dimension may be. */
  readonly maxDimension?: number;
  /** The most values per example: the product of every dimension after the first. */
  readonly maxExampleValues?: number;
  /** The most values in the file: the product of all dimensions. */
  readonly maxValues?: number;
}

/**
 * Parses the IDX format used by MNIST: two zero bytes, a dtype code, the number of dimensions,
 * big-endian 32-bit sizes, then big-endian values. Byte data is returned as a view of the input
 * (MNIST's images are 47 MB); wider types are converted to the platform's byte order.
 * Every dimension is checked, and the declared size must equal the file's, before anything is
 * allocated: a 12-byte header can declare billions of values.
 */
export function parseIdx(input: ArrayBuffer | ArrayBufferView, limits: IdxLimits = {}): IdxArray {
  const bytes = input instanceof ArrayBuffer ? new Uint8Array(input) : new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
    throw new DatasetError('BAD_IDX_MAGIC', 'This is a gzip-compressed file; decompress it (e.g. the .gz MNIST download) before loading it as IDX');
  }
  if (bytes.length < 4) throw new DatasetError('BAD_IDX_MAGIC', `Not an IDX file: it is only ${bytes.length} bytes long`);
  if (bytes[0] !== 0 || bytes[1] !== 0) {
    throw new DatasetError('BAD_IDX_MAGIC', `Not an IDX file: it must start with two zero bytes, found ${hex(bytes[0]!)} ${hex(bytes[1]!)}`);
  }
  const type = DTYPES[bytes[2]!];
  if (!type) throw new DatasetError('BAD_IDX_MAGIC', `Not an IDX file: unknown data type code ${hex(bytes[2]!)} (expected 0x08, 0x09, 0x0B, 0x0C, 0x0D or 0x0E)`);
  const rank = bytes[3]!;
  if (rank === 0) throw new DatasetError('BAD_IDX_MAGIC', 'Not an IDX file: it declares zero dimensions');

  const headerBytes = 4 + 4 * rank;
  if (bytes.length < headerBytes) {
    throw new DatasetError('IDX_SIZE_MISMATCH', `The IDX header declares ${rank} dimensions but the file ends after ${bytes.length} bytes, before the sizes do`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dims: number[] = [];
  for (let d = 0; d < rank; d++) dims.push(view.getUint32(4 + 4 * d, false));
  const count = checkDims(dims, limits);
  const expected = count * type.bytes;
  const actual = bytes.length - headerBytes;
  if (actual !== expected) {
    throw new DatasetError(
      'IDX_SIZE_MISMATCH',
      `The IDX header promises ${dims.join('×')} ${type.dtype} values (${expected} bytes) but the file has ${actual} bytes of data`,
    );
  }
  return { dtype: type.dtype, dims, data: readValues(type.dtype, bytes.subarray(headerBytes), view, headerBytes, count) };
}

/** The number of values the dims declare, once each dimension and their products are within bounds. */
function checkDims(dims: readonly number[], limits: IdxLimits): number {
  const shape = dims.join('×');
  const zero = dims.findIndex((size) => size < 1);
  if (zero >= 0) {
    throw new DatasetError('IDX_BAD_DIMENSION', `Dimension ${zero + 1} of the IDX header (${shape}) is 0; every dimension must be at least 1`);
  }
  const maxDimension = limits.maxDimension ?? Infinity;
  const big = dims.findIndex((size) => size > maxDimension);
  if (big >= 0) {
    throw new DatasetError('IDX_TOO_LARGE', `Dimension ${big + 1} of the IDX header (${shape}) is ${amount(dims[big]!)}; each dimension can be at most ${amount(maxDimension)}`);
  }
  // With every size at least 1 the products only grow, so an overflow to Infinity still compares as too large.
  const perExample = dims.slice(1).reduce((a, b) => a * b, 1);
  const maxExample = limits.maxExampleValues ?? Infinity;
  if (dims.length > 1 && perExample > maxExample) {
    throw new DatasetError('IDX_TOO_LARGE', `Each example in this IDX file (${shape}) has ${amount(perExample)} values; at most ${amount(maxExample)} are allowed`);
  }
  const count = dims[0]! * perExample;
  const maxValues = limits.maxValues ?? Infinity;
  if (count > maxValues) {
    throw new DatasetError('IDX_TOO_LARGE', `The IDX header declares ${shape} = ${amount(count)} values; at most ${amount(maxValues)} are allowed`);
  }
  return count;
}

function amount(n: number): string {
  return Number.isSafeInteger(n) ? n.toLocaleString('en-US') : `more than ${Number.MAX_SAFE_INTEGER.toLocaleString('en-US')}`;
}

function readValues(dtype: IdxDtype, body: Uint8Array, view: DataView, start: number, count: number): IdxData {
  switch (dtype) {
    case 'uint8':
      return body;
    case 'int8':
      return new Int8Array(body.buffer, body.byteOffset, count);
    case 'int16': {
      const out = new Int16Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt16(start + 2 * i, false);
      return out;
    }
    case 'int32': {
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt32(start + 4 * i, false);
      return out;
    }
    case 'float32': {
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(start + 4 * i, false);
      return out;
    }
    case 'float64': {
      const out = new Float64Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(start + 8 * i, false);
      return out;
    }
  }
}

function hex(byte: number): string {
  return `0x${byte.toString(16).padStart(2, '0').toUpperCase()}`;
}
