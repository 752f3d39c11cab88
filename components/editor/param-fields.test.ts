import { describe, expect, it } from 'vitest';
import { BatchNorm, Dense, Dropout, Input, Labels, Reshape } from '@/compute/layers';
import { checkParam, formatParam, paramFields, parseParamInput } from './param-fields';

describe('paramFields', () => {
  it('derives typed fields with bounds from the layer schema', () => {
    expect(paramFields(Dense)).toEqual([
      { kind: 'number', name: 'units', description: 'Number of outputs', integer: true, min: 1, max: 65536 },
      { kind: 'boolean', name: 'useBias', description: 'Add a learned bias to each output' },
      { kind: 'enum', name: 'init', description: expect.stringContaining('Weight initialisation') as unknown as string, options: ['glorot', 'he'] },
    ]);
    expect(paramFields(Dropout)[0]).toMatchObject({ kind: 'number', integer: false, min: 0, max: 1 });
    expect(paramFields(BatchNorm)[1]).toMatchObject({ name: 'epsilon', min: 0, max: 1 });
    expect(paramFields(Input)[0]).toMatchObject({ kind: 'list', name: 'shape', integer: true, min: 1 });
    expect(paramFields(Labels).map((f) => f.kind)).toEqual(['enum', 'list']);
  });
});

describe('parseParamInput and formatParam', () => {
  const [units] = paramFields(Dense);
  const [shape] = paramFields(Input);

  it('parses numbers and comma-separated lists', () => {
    expect(parseParamInput(units!, ' 10 ')).toEqual({ ok: true, value: 10 });
    expect(parseParamInput(shape!, '28, 28,1')).toEqual({ ok: true, value: [28, 28, 1] });
    expect(formatParam(shape!, [8, 8, 16])).toBe('8, 8, 16');
  });

  it('explains input that is not a number', () => {
    expect(parseParamInput(units!, '')).toEqual({ ok: false, message: 'units needs a value' });
    expect(parseParamInput(shape!, '28, x')).toEqual({ ok: false, message: "shape must be numbers separated by commas (got 'x')" });
  });
});

describe('checkParam', () => {
  it('returns the schema message for an out-of-bounds value and null for a good one', () => {
    expect(checkParam(Dense, {}, 'units', 0)).toBe('units must be at least 1 (got 0)');
    expect(checkParam(Dense, {}, 'units', 2.5)).toBe('units must be a whole number (got 2.5)');
    expect(checkParam(Dense, { units: 3 }, 'units', 10)).toBeNull();
    expect(checkParam(Input, {}, 'shape', [28, 0])).toBe('shape[1] must be at least 1 (got 0)');
    expect(checkParam(Dropout, {}, 'rate', 1)).toBe('rate must be less than 1 (got 1)');
  });

  it('ignores problems in other params, which are not this field’s to report', () => {
    expect(checkParam(Reshape, { junk: 1, targetShape: 'bad' }, 'targetShape', [-1])).toBeNull();
  });
});
