import { describe, expect, it } from 'vitest';
import { mlpClassifier } from '../graph/examples';
import { CpuTrainer } from '../model/trainer';
import { buildModelPlan } from '../model/plan';
import { initParameters } from '../model/init';
import { modelMetadataEntries, readModelMetadata, type ModelMetadata } from './model-metadata';
import { buildOnnxModel } from './onnx/export-onnx';
import { saveCheckpoint } from './safetensors/checkpoint';
import { readSafetensors } from './safetensors/format';
import { saveWeights } from './safetensors/weights';

const model = { preprocessing: { kind: 'standardize' as const, mean: [5.84, 3.05, 3.76, 1.2], std: [0.83, 0.43, 1.76, 0.76] }, classNames: ['setosa', 'versicolor', 'virginica'] };

describe('model metadata (preprocessing and class names) in safetensors files', () => {
  it('travels in weights files and checkpoints, next to the layout metadata', () => {
    const trainer = new CpuTrainer(mlpClassifier(4, [3], 3), { seed: 1, optimizer: { type: 'sgd', lr: 0.1, momentum: 0, weightDecay: 0, nesterov: false } });
    const weights = readSafetensors(saveWeights(trainer.params, { model: 'cyxwiz', ...modelMetadataEntries(model) }));
    expect(readModelMetadata(weights.metadata)).toEqual(model);
    expect(weights.metadata).toMatchObject({ kind: 'weights', format: 'cyxwiz' });
    const checkpoint = readSafetensors(saveCheckpoint({ params: trainer.params, optimizer: trainer.optimizer }, modelMetadataEntries(model)));
    expect(readModelMetadata(checkpoint.metadata)).toEqual(model);
    expect(checkpoint.metadata['kind']).toBe('checkpoint');
  });

  it('reads nothing from a file written without it, and refuses malformed statistics', () => {
    expect(readModelMetadata({ format: 'cyxwiz' })).toBeNull();
    expect(() => readModelMetadata({ preprocessing: JSON.stringify({ kind: 'minmax', min: [1], max: [0] }) })).toThrow(/above its min/);
    expect(() => readModelMetadata({ preprocessing: '{' })).toThrow();
  });

  it('carries the input columns of a table with a categorical column (safetensors and ONNX metadata), and checks them against the preprocessing', () => {
    // animal one-hot (3 features) + weight: 4 encoded features.
    const tabular: ModelMetadata = {
      preprocessing: { kind: 'standardize', mean: [0.2, 0.4, 0.4, 12], std: [0.4, 0.49, 0.49, 9] },
      classNames: ['small', 'big'],
      inputColumns: [
        { name: 'animal', kind: 'categorical', categories: ['bird', 'cat', 'dog'], encoding: 'one-hot' },
        { name: 'weight', kind: 'numeric' },
      ],
    };
    const trainer = new CpuTrainer(mlpClassifier(4, [3], 2), { seed: 1, optimizer: { type: 'sgd', lr: 0.1, momentum: 0, weightDecay: 0, nesterov: false } });
    const weights = readSafetensors(saveWeights(trainer.params, { model: 'cyxwiz', ...modelMetadataEntries(tabular) }));
    expect(readModelMetadata(weights.metadata)).toEqual(tabular);
    expect(JSON.parse(weights.metadata['input_columns']!)).toEqual(tabular.inputColumns);

    const plan = buildModelPlan(mlpClassifier(4, [3], 2));
    const onnx = buildOnnxModel(plan, initParameters(plan, { seed: 1 }), { model: tabular });
    expect(readModelMetadata(onnx.metadata ?? {})).toEqual(tabular);
    expect(onnx.metadata?.['input']).toMatch(/^encoded features: .*one-hot/);
    // Without categorical columns the export still documents raw features, and no input_columns key appears without them.
    expect(buildOnnxModel(plan, initParameters(plan, { seed: 1 }), { model: { ...model, preprocessing: tabular.preprocessing } }).metadata).not.toHaveProperty('input_columns');

    const wrongWidth = { ...modelMetadataEntries(tabular), input_columns: JSON.stringify([{ name: 'weight', kind: 'numeric' }]) };
    expect(() => readModelMetadata(wrongWidth)).toThrow(/encode to 1 features but the preprocessing was fitted on 4/);
    const unbounded = { ...modelMetadataEntries(tabular), input_columns: JSON.stringify([{ name: 'a', kind: 'categorical', categories: Array.from({ length: 300 }, (_, i) => `c${i}`), encoding: 'one-hot' }]) };
    expect(() => readModelMetadata(unbounded)).toThrow();
  });
});
