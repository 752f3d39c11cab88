import { describe, expect, it } from 'vitest';
import { makeBlobs } from '../data/synthetic';
import { splitDataset } from '../data/split';
import { loadCheckpoint } from '../export/safetensors/checkpoint';
import { mlpClassifier } from '../graph/examples';
import { useTestGpu } from '../gpu/test-gpu';
import { EarlyStopping } from './early-stopping';
import { train } from './train';
import { TrainError } from './train-error';

const gpu = useTestGpu();
const graph = () => mlpClassifier(4, [8], 3);

describe('early stopping', () => {
  it('counts an improvement only when the loss falls by more than minDelta, and stops after patience', () => {
    const watch = new EarlyStopping({ patience: 2, minDelta: 0.1 });
    expect(watch.observe(0, 1.0)).toEqual({ improved: true, stop: false });
    expect(watch.observe(1, 0.95)).toEqual({ improved: false, stop: false });
    expect(watch.observe(2, 0.85)).toEqual({ improved: true, stop: false });
    expect(watch.observe(3, Number.NaN)).toEqual({ improved: false, stop: false });
    expect(watch.observe(4, 0.8)).toEqual({ improved: false, stop: true });
    expect(watch.bestEpoch).toBe(2);
    expect(watch.bestLoss).toBe(0.85);
  });

  it('stops once validation loss has risen for `patience` epochs and ends with the best epoch\'s weights', async () => {
    // Validation rows are the training rows with every label moved to the next class: the better
    // the model learns, the worse its validation loss.
    const trainSet = makeBlobs({ pointsPerClass: 16, numFeatures: 4, numClasses: 3, seed: 7 });
    const validation = { ...trainSet, labels: Int32Array.from(trainSet.labels, (l) => (l + 1) % 3) };
    const config = { epochs: 30, batchSize: 16, seed: 3, optimizer: { type: 'adam' as const, lr: 0.05 } };
    const patience = 3;
    const run = train(graph(), { train: trainSet, validation }, { ...config, earlyStopping: { enabled: true, patience } }, { device: gpu().runtime });
    const result = await run.done;
    const losses = result.epochs.map((e) => e.validationLoss!);
    const bestEpoch = losses.indexOf(Math.min(...losses));
    expect(result.status).toBe('completed');
    expect(result.earlyStopping).toEqual({ bestEpoch, bestValidationLoss: losses[bestEpoch], stoppedEarly: true, restored: true });
    expect(result.epochs).toHaveLength(bestEpoch + 1 + patience);
    expect(losses.at(-1)!).toBeGreaterThan(losses[bestEpoch]!);
    expect(result.steps).toBe(result.epochs.length * 3);
    // The final validation is the best epoch's, not the last one's.
    expect(result.validation!.loss).toBeCloseTo(losses[bestEpoch]!, 5);

    // The same seed trained for exactly bestEpoch + 1 epochs gives the weights the run ended with.
    const reference = train(graph(), { train: trainSet, validation }, { ...config, epochs: bestEpoch + 1 }, { device: gpu().runtime });
    await reference.done;
    const [ended, best] = await Promise.all([run.getWeights(), reference.getWeights()]);
    for (const [name, t] of best) expect(Array.from(ended.get(name)!.data), name).toEqual(Array.from(t.data));
    // Its checkpoint is the best epoch's too: optimizer state and step.
    const checkpoint = loadCheckpoint(await run.checkpoint());
    const referenceCheckpoint = loadCheckpoint(await reference.checkpoint());
    expect(checkpoint.optimizer.step).toBe((bestEpoch + 1) * 3);
    for (const [name, slots] of referenceCheckpoint.optimizer.slots) expect(Array.from(checkpoint.optimizer.slots.get(name)!.m!), name).toEqual(Array.from(slots.m!));
    run.dispose();
    reference.dispose();
  });

  it('with a minDelta no epoch beats, keeps epoch 0 and stops after patience; refuses to run without validation', async () => {
    const data = makeBlobs({ pointsPerClass: 12, numFeatures: 4, numClasses: 3, seed: 2 });
    const sets = splitDataset(data, { validationFraction: 0.25, seed: 1, stratify: true });
    const run = train(graph(), sets, { epochs: 10, batchSize: 9, seed: 1, evaluateEveryEpoch: false, earlyStopping: { enabled: true, patience: 2, minDelta: 100 } }, { device: gpu().runtime });
    const result = await run.done;
    expect(result.epochs).toHaveLength(3);
    expect(result.epochs.every((e) => e.validationLoss !== undefined)).toBe(true);
    expect(result.earlyStopping).toMatchObject({ bestEpoch: 0, stoppedEarly: true, restored: true });
    expect(result.validation!.loss).toBeCloseTo(result.epochs[0]!.validationLoss!, 5);
    run.dispose();

    try {
      train(graph(), { train: data }, { earlyStopping: { enabled: true } }, { device: gpu().runtime });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(TrainError);
      expect((e as TrainError).code).toBe('INVALID_CONFIG');
      expect((e as TrainError).field).toBe('earlyStopping.enabled');
    }
  });
});
