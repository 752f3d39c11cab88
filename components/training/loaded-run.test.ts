import { describe, expect, it } from 'vitest';
import { loadWeights, saveWeights } from '@/compute/export';
import { mlpClassifier } from '@/compute/graph';
import { buildModelPlan, feedFromBatch, forward } from '@/compute/model';
import { loadedRun, trainOnCpu } from './cpu-run';
import { prepareData } from '@/compute/train/prepare-data';
import { predictRows } from './predict-rows';

// What the worker does when a saved run is loaded back: the same split, the run's own scaling, its weights.
describe('a saved run loaded back', () => {
  const spec = { kind: 'synthetic' as const, name: 'blobs' as const, seed: 4 };
  const config = { epochs: 3, batchSize: 32, optimizer: { type: 'adam' as const, lr: 0.01 }, seed: 5, validationFraction: 0.2, testFraction: 0.1 };

  it('reuses the fitted preprocessing as is and splits the data as the run did', () => {
    const trained = prepareData(spec, 0.2, 0.1, 5);
    const shifted = trained.summary.preprocessing.kind === 'standardize' ? { ...trained.summary.preprocessing, mean: trained.summary.preprocessing.mean.map((m) => m + 1) } : trained.summary.preprocessing;
    const loaded = prepareData(spec, 0.2, 0.1, 5, 'standardize', shifted);
    expect(loaded.summary.preprocessing).toEqual(shifted);
    expect(Array.from(loaded.rawValidation.features)).toEqual(Array.from(trained.rawValidation.features));
    expect(Array.from(loaded.validation.features)).not.toEqual(Array.from(trained.validation.features));
  });

  it('evaluates and predicts with the saved weights exactly as the trained run', async () => {
    const plan = buildModelPlan(mlpClassifier(2, [8], 3));
    const data = prepareData(spec, 0.2, 0.1, 5);
    const run = trainOnCpu(plan, data, config, () => undefined);
    await run.done;
    const original = await run.evaluate(data.validation);
    const bytes = saveWeights(await run.getWeights());

    const again = prepareData(spec, 0.2, 0.1, 5, data.summary.preprocessing.kind, data.summary.preprocessing);
    const loaded = loadedRun(plan, loadWeights(bytes, { plan }), config);
    const evaluation = await loaded.evaluate(again.validation);
    expect(evaluation.loss).toBeCloseTo(original.loss, 6);
    expect(evaluation.accuracy).toBe(original.accuracy);
    expect(evaluation.accuracy).toBeGreaterThan(0.5);

    // Raw validation rows through predictRows agree with the scores of the scaled rows.
    const params = await loaded.getWeights();
    const logitsOf = (scaled: Float32Array, count: number) => forward(plan, params, { batch: count, inputs: feedFromBatch(plan, { size: count, features: scaled, labels: new Int32Array(count) }).inputs }, { training: false }).values.get(plan.outputs[0]!.source)!;
    const rows = Array.from({ length: again.rawValidation.size }, (_, r) => Array.from(again.rawValidation.features.subarray(r * 2, r * 2 + 2)));
    const predictions = predictRows(rows, again.summary.preprocessing, logitsOf, again.summary.classNames);
    const labels = again.validation.labels;
    const correct = predictions.filter((p, i) => p.predicted === labels[i]).length;
    expect(correct / predictions.length).toBeCloseTo(evaluation.accuracy!, 6);
  });

  it('continues training from the loaded weights, not a fresh initialisation', async () => {
    const plan = buildModelPlan(mlpClassifier(2, [8], 3));
    const data = prepareData(spec, 0.2, 0.1, 5);
    const first = trainOnCpu(plan, data, config, () => undefined);
    await first.done;
    const saved = loadWeights(saveWeights(await first.getWeights()), { plan });
    const trainedLoss = (await first.evaluate(data.validation)).loss;
    // One step with a vanishing learning rate: the continued run scores as the weights it started from.
    const still = { ...config, epochs: 1, optimizer: { type: 'sgd' as const, lr: 1e-12 } };
    const continued = trainOnCpu(plan, data, still, () => undefined, saved);
    await continued.done;
    expect((await continued.evaluate(data.validation)).loss).toBeCloseTo(trainedLoss, 5);
    const fresh = trainOnCpu(plan, data, still, () => undefined);
    await fresh.done;
    expect(Math.abs((await fresh.evaluate(data.validation)).loss - trainedLoss)).toBeGreaterThan(1e-3);
  });

  it('refuses weights that do not fit the graph', () => {
    const bytes = saveWeights(loadWeights(saveWeights(new Map([['dense1.weight', { shape: [2, 4], data: new Float32Array(8) }]]))));
    expect(() => loadWeights(bytes, { plan: buildModelPlan(mlpClassifier(2, [8], 3)) })).toThrow();
  });
});
