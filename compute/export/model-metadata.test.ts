import { describe, expect, it } from 'vitest';
import { mlpClassifier } from '../graph/examples';
import { CpuTrainer } from '../model/trainer';
import { modelMetadataEntries, readModelMetadata } from './model-metadata';
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
});
