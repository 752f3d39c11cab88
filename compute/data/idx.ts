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

/**
 * Parses the IDX format used by MNIST: two zero bytes, a dtype code, the number of dimensions,
 * big-endian 32-bit sizes, then big-endian values. Byte data is returned as a view of the input
 * (MNIST's images are 47 MB); wider types are converted to the platform's byte order.
 */
export function parseIdx(input: ArrayBuffer | ArrayBufferView): IdxArray {
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
  let count = 1;
  for (let d = 0; d < rank; d++) {
    const size = view.getUint32(4 + 4 * d, false);
    dims.push(size);
    count *= size;
  }
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
