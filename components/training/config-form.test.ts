import { describe, expect, it } from 'vitest';
import { parseTrainConfig } from '@/compute/train';
import { DEFAULT_FORM, FIELD_BOUNDS, MIN_DEFAULT_STEPS, parseForm, PREPROCESSING_LABELS, suggestedEpochs, withDatasetSettings, withDatasetSplit } from './config-form';

describe('training form: test split and early stopping', () => {
  it('turns the defaults into a config with a test share and early stopping off', () => {
    const parsed = parseForm(DEFAULT_FORM, 1000);
    expect(parsed.ok).toBe(true);
    const config = parseTrainConfig(parsed.ok ? parsed.config : {});
    expect(config.validationFraction).toBe(0.2);
    expect(config.testFraction).toBe(0.1);
    expect(config.earlyStopping).toEqual({ enabled: false, patience: 5, minDelta: 0 });
    expect(FIELD_BOUNDS.patience).toEqual({ min: 1, max: 10_000 });
  });

  it('passes patience and min delta when early stopping is on, and names the field at fault', () => {
    const on = parseForm({ ...DEFAULT_FORM, earlyStopping: true, patience: '3', minDelta: '0.01' }, 1000);
    expect(on.ok && parseTrainConfig(on.config).earlyStopping).toEqual({ enabled: true, patience: 3, minDelta: 0.01 });
    expect(parseForm({ ...DEFAULT_FORM, earlyStopping: true, patience: '0' }, 1000)).toMatchObject({ ok: false, field: 'patience' });
    expect(parseForm({ ...DEFAULT_FORM, earlyStopping: false, patience: 'x' }, 1000).ok).toBe(true);
    expect(parseForm({ ...DEFAULT_FORM, testFraction: '0.6' }, 1000)).toMatchObject({ ok: false, field: 'testFraction' });
    expect(parseForm({ ...DEFAULT_FORM, validationFraction: '0.5', testFraction: '0.2' }, 1000)).toMatchObject({ ok: false, field: 'testFraction', message: expect.stringContaining('at most 60%') });
  });

  it('takes a stored dataset\'s validation split', () => {
    expect(withDatasetSplit(DEFAULT_FORM, 0.25).validationFraction).toBe('0.25');
    expect(withDatasetSplit(DEFAULT_FORM, undefined)).toBe(DEFAULT_FORM);
  });

  it('scales features by per-feature standardisation unless the user picks another choice', () => {
    expect(DEFAULT_FORM.preprocessing).toBe('standardize');
    expect(Object.keys(PREPROCESSING_LABELS)).toEqual(['standardize', 'minmax', 'none']);
  });

  it('suggests enough epochs for a small dataset to take its minimum steps, and ten for a large one', () => {
    // iris: 150 rows, 70% train = 105, 3 full batches of 32 an epoch.
    expect(suggestedEpochs(150, DEFAULT_FORM)).toBe(Math.ceil(MIN_DEFAULT_STEPS / 3));
    expect(suggestedEpochs(1797, DEFAULT_FORM)).toBe(10);
    expect(suggestedEpochs(40, DEFAULT_FORM)).toBe(MIN_DEFAULT_STEPS);
    expect(suggestedEpochs(5, DEFAULT_FORM)).toBe(MIN_DEFAULT_STEPS);
    expect(suggestedEpochs(150, { ...DEFAULT_FORM, batchSize: 'x' })).toBe(10);
  });

  it('a chosen dataset sets the epochs until the user types a count', () => {
    const iris = withDatasetSettings(DEFAULT_FORM, { rows: 150, validationSplit: 0.2 });
    expect(iris.epochs).toBe('50');
    expect(withDatasetSettings(iris, { rows: 1797 }).epochs).toBe('10');
    const typed = { ...iris, epochs: '7', epochsChosen: true };
    expect(withDatasetSettings(typed, { rows: 1797, validationSplit: 0.3 })).toMatchObject({ epochs: '7', validationFraction: '0.3' });
    expect(withDatasetSettings(DEFAULT_FORM, { validationSplit: 0.2 }).epochs).toBe('10');
  });
});
