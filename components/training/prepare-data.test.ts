import { describe, expect, it } from 'vitest';
import { prepareData } from './prepare-data';

describe('prepareData', () => {
  it('holds out a test set next to the validation set, or none with a 0 share', () => {
    const spec = { kind: 'synthetic' as const, name: 'spirals' as const, seed: 1 };
    const data = prepareData(spec, 0.2, 0.1, 3);
    expect([data.train.size, data.validation.size, data.test!.size]).toEqual([420, 120, 60]);
    expect(data.summary).toMatchObject({ trainSize: 420, validationSize: 120, testSize: 60 });
    const none = prepareData(spec, 0.2, 0, 3);
    expect(none.test).toBeUndefined();
    expect(none.summary.testSize).toBe(0);
    expect(none.validation.size).toBe(120);
  });
});
