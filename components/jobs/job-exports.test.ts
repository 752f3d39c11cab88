import * as ort from 'onnxruntime-web';
import { beforeAll, describe, expect, it } from 'vitest';
import { modelMetadataEntries, saveWeights } from '@/compute/export';
import { mlpClassifier } from '@/compute/graph/examples';
import { buildModelPlan, feedFromBatch, forward, initParameters } from '@/compute/model';
import { jobResultFiles } from './job-exports';

beforeAll(() => {
  ort.env.wasm.numThreads = 1;
});

const graph = mlpClassifier(4, [6], 3);
const plan = buildModelPlan(graph);
const params = initParameters(plan, { seed: 7 });
const model = { preprocessing: { kind: 'standardize' as const, mean: [5.8, 3, 3.7, 1.2], std: [0.8, 0.4, 1.7, 0.7] }, classNames: ['setosa', 'versicolor', 'virginica'] };
// The saved run of a completed job: its weights with the spec's metadata (server/jobs/job-result-run.ts).
const weights = saveWeights(params, modelMetadataEntries(model));
const config = { epochs: 5, batchSize: 16, seed: 1, optimizer: { type: 'adam', lr: 0.01 }, validationFraction: 0.2, testFraction: 0 };

describe('a network job’s downloads, built in the page', () => {
  it('ONNX takes raw rows through the run’s scaling and gives the trained weights’ logits', async () => {
    const [file, ...rest] = jobResultFiles({ graph, weights, config }, 'onnx');
    expect(rest).toEqual([]);
    expect(file!.name).toBe('model.onnx');
    const row = [6.1, 2.8, 4.7, 1.2];
    const session = await ort.InferenceSession.create(file!.bytes);
    const out = await session.run({ features: new ort.Tensor('float32', Float32Array.from(row), [1, 4]) });
    await session.release();
    const scaled = Float32Array.from(row.map((v, i) => (v - model.preprocessing.mean[i]!) / model.preprocessing.std[i]!));
    const expected = forward(plan, params, { batch: 1, inputs: feedFromBatch(plan, { size: 1, features: scaled, labels: new Int32Array(1) }).inputs }, { training: false }).values.get(plan.outputs[0]!.source)!;
    const logits = out.logits!.data as Float32Array;
    expect(logits.length).toBe(3);
    logits.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 4));
  });

  it('PyTorch gives model.py with the module and the class names, and train.py with the run’s optimizer', () => {
    const files = jobResultFiles({ graph, weights, config }, 'pytorch');
    expect(files.map((f) => f.name)).toEqual(['model.py', 'train.py']);
    const text = (i: number) => new TextDecoder().decode(files[i]!.bytes);
    expect(text(0)).toMatch(/class \w+\(nn\.Module\)/);
    expect(text(0)).toContain('virginica');
    expect(text(1)).toMatch(/Adam/);
  });

  it('refuses weights that do not fit the trained graph, and a file without the model metadata', () => {
    expect(() => jobResultFiles({ graph: mlpClassifier(4, [9], 3), weights, config }, 'onnx')).toThrow();
    expect(() => jobResultFiles({ graph, weights: saveWeights(params), config }, 'onnx')).toThrow(/no preprocessing metadata/);
  });
});
