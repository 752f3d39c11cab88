import { describe, expect, it } from 'vitest';
import { checkDatasetFit, validateGraph } from '@/compute/validate';
import { mlpClassifier } from '@/compute/graph/examples';
import { builtinChoice, choiceIdFor, downloadIdOf, factsOf, NO_DATASET, storedChoice } from './dataset-choice';
import { DEFAULT_FORM, parseForm, withDatasetSettings } from './config-form';
import { SYNTHETIC_LABELS } from '@/compute/train/prepare-data';

const digits = { id: 'builtin:digits', name: 'Digits (8x8)', source: 'file' as const, featureShape: [64], numClasses: 10, labelColumn: 64, validationSplit: 0.2, rows: 1797 };
const spirals = { id: 'builtin:spirals', name: 'Spirals', source: 'generated' as const, featureShape: [2], numClasses: 3, labelColumn: 2, validationSplit: 0.2, rows: 300 };
const wine = { id: '65a1b2c3d4e5f6a7b8c9d0e1', name: 'wine', kind: 'csv', featureShape: [13], numClasses: 3, labelColumn: 0, validationSplit: 0.3, rows: 178, reading: { missing: 'mean' as const } };

describe('dataset choices of the training panel', () => {
  it('start on the dataset attached to the model: built-ins by their id, stored ones as ds:<id>, none as the placeholder', () => {
    expect(choiceIdFor('builtin:digits')).toBe('builtin:digits');
    expect(choiceIdFor(wine.id)).toBe(`ds:${wine.id}`);
    expect(choiceIdFor(null)).toBe(NO_DATASET);
    expect(choiceIdFor(undefined)).toBe(NO_DATASET);
  });

  it('keep a stored dataset’s label column, split and reading, and download it by its own id', () => {
    const choice = storedChoice(wine);
    expect(choice).toMatchObject({ id: `ds:${wine.id}`, label: 'wine (178 rows)', source: 'stored', labelColumn: 0, validationSplit: 0.3, reading: { missing: 'mean' } });
    expect(choice.disabled).toBeUndefined();
    expect(downloadIdOf(choice)).toBe(wine.id);
    expect(storedChoice({ ...wine, kind: 'idx' }).disabled).toBe('IDX datasets train on the network for now');
  });

  it('label the built-ins and download the file ones under their built-in id', () => {
    expect(builtinChoice(spirals).label).toBe(SYNTHETIC_LABELS.spirals);
    const choice = builtinChoice(digits);
    expect(choice.label).toBe('Digits (8x8) · built-in, 64 features, 10 classes');
    expect(downloadIdOf(choice)).toBe('builtin:digits');
  });

  it('give validation the facts that tell a fitting model from one that does not', () => {
    const graph = mlpClassifier(64, [32], 10);
    const validation = validateGraph(graph);
    expect(checkDatasetFit(graph, validation, factsOf(builtinChoice(digits))!)).toEqual([]);
    expect(checkDatasetFit(graph, validation, factsOf(builtinChoice(spirals))!).map((p) => p.code)).toEqual(['DATASET_FEATURES_MISMATCH', 'DATASET_CLASSES_MISMATCH']);
    expect(factsOf(undefined)).toBeNull();
  });
});

describe('the panel starts from the chosen dataset’s feature scaling', () => {
  it('takes a stored dataset’s scaling and split into the form, which the user can still change', () => {
    const form = withDatasetSettings(DEFAULT_FORM, storedChoice({ ...wine, preprocessing: 'minmax' }));
    expect(form).toMatchObject({ preprocessing: 'minmax', validationFraction: '0.3' });
    const overridden = { ...form, preprocessing: 'none' as const };
    expect(parseForm(overridden, 178).ok).toBe(true);
    expect(overridden.preprocessing).toBe('none');
  });

  it('standardises built-ins and listings that predate the setting; switching back to one resets the choice', () => {
    expect(builtinChoice(digits).preprocessing).toBe('standardize');
    expect(storedChoice(wine).preprocessing).toBe('standardize');
    const minmax = withDatasetSettings(DEFAULT_FORM, storedChoice({ ...wine, preprocessing: 'minmax' }));
    expect(withDatasetSettings(minmax, builtinChoice(spirals))).toMatchObject({ preprocessing: 'standardize', validationFraction: '0.2' });
  });

  it('keeps the form’s scaling when a choice says nothing or something unknown', () => {
    const none = { ...DEFAULT_FORM, preprocessing: 'none' as const };
    expect(withDatasetSettings(none, { validationSplit: 0.2 }).preprocessing).toBe('none');
    expect(withDatasetSettings(none, { preprocessing: 'zscore' as never }).preprocessing).toBe('none');
  });
});
