import { describe, expect, it } from 'vitest';
import { parseCsv } from './csv';
import { fillMissingWithTrainMean } from './missing-values';
import { splitDataset } from './split';

describe('fillMissingWithTrainMean', () => {
  it('fills NaN cells in every split with the means of the training rows only', () => {
    const train = parseCsv('a,b,label\n1,10,0\n3,,1\n,30,0\n', { missing: 'mean' });
    const validation = parseCsv('a,b,label\n,,0\n100,1000,1\n', { missing: 'mean' });
    const { fill, train: filledTrain, others } = fillMissingWithTrainMean(train, validation);
    expect(Array.from(fill.means)).toEqual([2, 20]);
    expect(Array.from(filledTrain.features)).toEqual([1, 10, 3, 20, 2, 30]);
    expect(Array.from(others[0]!.features)).toEqual([2, 20, 100, 1000]);
  });

  it('gives the same statistics whatever the validation rows are', () => {
    const train = parseCsv('a,label\n1,0\n,1\n5,0\n', { missing: 'mean' });
    const one = fillMissingWithTrainMean(train, parseCsv('a,label\n1000,0\n,1\n', { missing: 'mean' }));
    const other = fillMissingWithTrainMean(train, parseCsv('a,label\n-7,0\n', { missing: 'mean' }));
    expect(Array.from(one.fill.means)).toEqual([3]);
    expect(Array.from(other.fill.means)).toEqual(Array.from(one.fill.means));
  });

  it('works after a real split, leaving no NaN anywhere', () => {
    const rows = Array.from({ length: 40 }, (_, i) => `${i % 7 === 0 ? '' : i},${i % 2}`);
    const dataset = parseCsv(`x,label\n${rows.join('\n')}\n`, { missing: 'mean' });
    const split = splitDataset(dataset, { validationFraction: 0.25, seed: 3 });
    const filled = fillMissingWithTrainMean(split.train, split.validation);
    const known = Array.from(split.train.features).filter((v) => !Number.isNaN(v));
    expect(filled.fill.means[0]).toBeCloseTo(known.reduce((s, v) => s + v, 0) / known.length, 4);
    expect(filled.train.features.some(Number.isNaN)).toBe(false);
    expect(filled.others[0]!.features.some(Number.isNaN)).toBe(false);
  });

  it('returns a dataset without missing cells unchanged', () => {
    const dataset = parseCsv('a,label\n1,0\n2,1\n');
    expect(fillMissingWithTrainMean(dataset).train).toBe(dataset);
  });
});
