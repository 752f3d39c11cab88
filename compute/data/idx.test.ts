import { describe, expect, it } from 'vitest';
import { DatasetError } from './dataset-error';
import { parseIdx } from './idx';
import { idxToDataset } from './idx-dataset';

/** Builds an IDX file: magic, big-endian dims, then the already-encoded body. */
function idx(typeCode: number, dims: number[], body: number[]): Uint8Array {
  const header = [0, 0, typeCode, dims.length];
  for (const dim of dims) header.push((dim >>> 24) & 255, (dim >>> 16) & 255, (dim >>> 8) & 255, dim & 255);
  return Uint8Array.from([...header, ...body]);
}

function failure(run: () => unknown): DatasetError {
  try {
    run();
  } catch (error) {
    if (error instanceof DatasetError) return error;
    throw error;
  }
  throw new Error('expected a DatasetError');
}

describe('parseIdx', () => {
  it('reads unsigned bytes as a view with their dims', () => {
    const file = idx(0x08, [2, 2, 3], [0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255]);
    const parsed = parseIdx(file);
    expect(parsed.dtype).toBe('uint8');
    expect(parsed.dims).toEqual([2, 2, 3]);
    expect(Array.from(parsed.data)).toEqual([0, 1, 2, 3, 4, 5, 250, 251, 252, 253, 254, 255]);
    expect(parsed.data.buffer).toBe(file.buffer);
  });

  it('decodes big-endian int32 and float32, from an ArrayBuffer too', () => {
    const ints = parseIdx(idx(0x0c, [2], [0, 0, 1, 2, 0xff, 0xff, 0xff, 0xfe]).buffer as ArrayBuffer);
    expect(ints.dtype).toBe('int32');
    expect(Array.from(ints.data)).toEqual([258, -2]);
    const floats = parseIdx(idx(0x0d, [1], [0x3f, 0xc0, 0, 0]));
    expect(Array.from(floats.data)).toEqual([1.5]);
  });

  it('reads an IDX file embedded at an offset inside a larger buffer', () => {
    const file = idx(0x0b, [1], [0x01, 0x00]);
    const padded = new Uint8Array(file.length + 3);
    padded.set(file, 3);
    expect(Array.from(parseIdx(padded.subarray(3)).data)).toEqual([256]);
  });

  it('BAD_IDX_MAGIC for wrong leading bytes, unknown dtype, zero dims, too-short files and gzip', () => {
    expect(failure(() => parseIdx(Uint8Array.from([1, 0, 8, 1, 0, 0, 0, 0]))).code).toBe('BAD_IDX_MAGIC');
    expect(failure(() => parseIdx(idx(0x07, [1], [0]))).message).toContain('unknown data type code 0x07');
    expect(failure(() => parseIdx(Uint8Array.from([0, 0, 8, 0]))).code).toBe('BAD_IDX_MAGIC');
    expect(failure(() => parseIdx(Uint8Array.from([0, 0]))).code).toBe('BAD_IDX_MAGIC');
    expect(failure(() => parseIdx(Uint8Array.from([0x1f, 0x8b, 8, 0]))).message).toContain('gzip');
  });

  it('IDX_SIZE_MISMATCH when the body is shorter or longer than the dims promise', () => {
    const short = failure(() => parseIdx(idx(0x08, [2, 3], [1, 2, 3, 4, 5])));
    expect(short.code).toBe('IDX_SIZE_MISMATCH');
    expect(short.message).toBe('The IDX header promises 2×3 uint8 values (6 bytes) but the file has 5 bytes of data');
    expect(failure(() => parseIdx(idx(0x0c, [1], [0, 0, 0, 1, 9]))).code).toBe('IDX_SIZE_MISMATCH');
    expect(failure(() => parseIdx(Uint8Array.from([0, 0, 8, 2, 0, 0, 0, 1]))).code).toBe('IDX_SIZE_MISMATCH');
  });

  it('IDX_BAD_DIMENSION for a zero dimension, before the body is sized: 0×30,000,000 fits in 12 bytes', () => {
    const wide = failure(() => parseIdx(idx(0x08, [0, 30_000_000], [])));
    expect(wide).toMatchObject({ code: 'IDX_BAD_DIMENSION', message: 'Dimension 1 of the IDX header (0×30000000) is 0; every dimension must be at least 1' });
    expect(failure(() => parseIdx(idx(0x08, [4_294_967_295, 0], []))).code).toBe('IDX_BAD_DIMENSION');
  });

  it('IDX_TOO_LARGE when a dimension, an example or the whole file is over the caller’s limits', () => {
    const limits = { maxDimension: 1000, maxExampleValues: 16, maxValues: 64 };
    expect(failure(() => parseIdx(idx(0x08, [1001, 1], []), limits)).message).toBe('Dimension 1 of the IDX header (1001×1) is 1,001; each dimension can be at most 1,000');
    expect(failure(() => parseIdx(idx(0x08, [1, 5, 4], []), limits)).message).toBe('Each example in this IDX file (1×5×4) has 20 values; at most 16 are allowed');
    expect(failure(() => parseIdx(idx(0x08, [5, 4, 4], []), limits)).message).toBe('The IDX header declares 5×4×4 = 80 values; at most 64 are allowed');
    expect(failure(() => parseIdx(idx(0x08, [4_294_967_295, 4_294_967_295, 4_294_967_295], []), { maxValues: 64 })).code).toBe('IDX_TOO_LARGE');
    expect(parseIdx(idx(0x08, [4, 4, 4], new Array<number>(64).fill(1)), limits).dims).toEqual([4, 4, 4]);
  });
});

describe('idxToDataset', () => {
  const images = parseIdx(idx(0x08, [3, 2, 2], [0, 255, 0, 255, 1, 1, 1, 1, 9, 8, 7, 6]));

  it('pairs images with labels and adds a channel to grey images', () => {
    const dataset = idxToDataset(images, parseIdx(idx(0x08, [3], [7, 0, 9])));
    expect(dataset.size).toBe(3);
    expect(dataset.featureShape).toEqual([2, 2, 1]);
    expect(Array.from(dataset.features.subarray(0, 4))).toEqual([0, 255, 0, 255]);
    expect(Array.from(dataset.labels)).toEqual([7, 0, 9]);
    expect(dataset.numClasses).toBe(10);
  });

  it('LABEL_COUNT_MISMATCH when the files disagree on the number of examples', () => {
    expect(failure(() => idxToDataset(images, parseIdx(idx(0x08, [2], [1, 2])))).code).toBe('LABEL_COUNT_MISMATCH');
  });

  it('LABEL_OUT_OF_RANGE names the example when a label reaches numClasses', () => {
    const error = failure(() => idxToDataset(images, parseIdx(idx(0x08, [3], [1, 10, 2])), { numClasses: 10 }));
    expect(error).toMatchObject({ code: 'LABEL_OUT_OF_RANGE', row: 2 });
    expect(error.message).toBe('Example 2: label 10 is not a class index from 0 to 9');
  });

  it('IDX_SIZE_MISMATCH for a label file that is not one-dimensional', () => {
    expect(failure(() => idxToDataset(images, images)).code).toBe('IDX_SIZE_MISMATCH');
  });
});
