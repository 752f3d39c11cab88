import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-web';
import { beforeAll, describe, expect, it } from 'vitest';
import { parseCsv } from '../../data/csv';
import type { ClassificationDataset } from '../../data/dataset';
import { fillMissingWithTrainMean } from '../../data/missing-values';
import { applyPreprocessing, fitPreprocessing, withMissingFill, type PreprocessingKind } from '../../data/preprocessing';
import { mlpClassifier } from '../../graph/examples';
import { forward } from '../../model/forward';
import { initParameters } from '../../model/init';
import { buildModelPlan } from '../../model/plan';
import { holdOut } from '../../train/holdout';
import { readModelMetadata } from '../model-metadata';
import { buildOnnxModel, exportOnnx } from './export-onnx';

beforeAll(() => {
  ort.env.wasm.numThreads = 1;
});

/** scikit-learn's iris (BSD), read where the project keeps its shared datasets; never copied here. */
function iris(): ClassificationDataset {
  const text = readFileSync(new URL('../../../../shared/datasets/iris.csv', import.meta.url), 'utf8');
  return parseCsv(text, { label: -1 }) as ClassificationDataset;
}

function softmax(row: ArrayLike<number>): number[] {
  const max = Math.max(...Array.from(row));
  const exps = Array.from(row, (v) => Math.exp(v - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

function maxDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!));
  return worst;
}

describe.each<PreprocessingKind>(['standardize', 'minmax'])('ONNX export with %s preprocessing, run on raw iris rows', (kind) => {
  it('equals our pipeline (preprocess on the training split, then forward) within 1e-4', async () => {
    const data = iris();
    expect(data.size).toBe(150);
    expect(data.classNames).toEqual(['setosa', 'versicolor', 'virginica']);
    const split = holdOut(data, { validationFraction: 0.2, testFraction: 0.1, seed: 5 });
    const preprocessing = fitPreprocessing(split.train, kind);
    const plan = buildModelPlan(mlpClassifier(4, [16, 8], 3));
    const params = initParameters(plan, { seed: 11 });
    const model = { preprocessing, classNames: data.classNames };

    // Raw rows: validation and test together, never scaled on our side before onnxruntime sees them.
    const rows = new Float32Array([...split.validation!.features, ...split.test!.features]);
    const batch = rows.length / 4;
    const session = await ort.InferenceSession.create(exportOnnx(plan, params, { model }));
    expect(session.inputNames).toEqual(['features']);
    expect(session.outputNames).toEqual(['logits', 'probabilities']);
    const result = await session.run({ features: new ort.Tensor('float32', rows, [batch, 4]) });
    await session.release();

    const inputId = plan.inputs[0]!.id;
    const scaled = applyPreprocessing({ ...data, size: batch, features: rows, labels: new Int32Array(batch) }, preprocessing).features;
    const ours = forward(plan, params, { batch, inputs: { [inputId]: scaled } }, { training: false }).values.get(plan.outputs[0]!.source)!;
    const logits = result['logits']!.data as Float32Array;
    expect(result['logits']!.dims).toEqual([batch, 3]);
    expect(maxDiff(logits, ours)).toBeLessThan(1e-4);
    const expectedProbabilities: number[] = [];
    for (let r = 0; r < batch; r++) expectedProbabilities.push(...softmax(Array.from(ours).slice(r * 3, r * 3 + 3)));
    expect(maxDiff(result['probabilities']!.data as Float32Array, expectedProbabilities)).toBeLessThan(1e-4);

    // The comparison can fail: the same network on unscaled rows answers differently.
    const unscaled = forward(plan, params, { batch, inputs: { [inputId]: rows } }, { training: false }).values.get(plan.outputs[0]!.source)!;
    expect(maxDiff(logits, unscaled)).toBeGreaterThan(0.05);
  });

  it('records the preprocessing and class names in metadata_props', () => {
    const data = iris();
    const preprocessing = fitPreprocessing(holdOut(data, { validationFraction: 0.2, testFraction: 0, seed: 1 }).train, kind);
    const plan = buildModelPlan(mlpClassifier(4, [8], 3));
    const proto = buildOnnxModel(plan, initParameters(plan, { seed: 1 }), { model: { preprocessing, classNames: data.classNames } });
    expect(readModelMetadata(proto.metadata ?? {})).toEqual({ preprocessing, classNames: ['setosa', 'versicolor', 'virginica'] });
    expect(proto.graph.nodes.slice(0, 2).map((n) => n.opType)).toEqual(['Sub', 'Div']);
    expect(proto.graph.nodes[0]!.inputs[0]).toBe('features');
  });
});

describe("ONNX export of a model whose data was read under 'mean'", () => {
  it('fills a NaN feature with its training mean inside the graph, as our pipeline does', async () => {
    const data = iris();
    const split = holdOut(data, { validationFraction: 0.2, testFraction: 0, seed: 7 });
    const { fill } = fillMissingWithTrainMean(split.train);
    const preprocessing = withMissingFill(fitPreprocessing(split.train, 'standardize'), fill.means);
    const plan = buildModelPlan(mlpClassifier(4, [16], 3));
    const params = initParameters(plan, { seed: 3 });
    // Validation rows with a hole in a different column each row (every feature goes missing somewhere).
    const rows = Float32Array.from(split.validation!.features, (v, i) => (i % 5 === Math.floor(i / 4) % 4 ? NaN : v));
    expect(rows.filter(Number.isNaN).length).toBeGreaterThan(3);
    const batch = rows.length / 4;
    const proto = buildOnnxModel(plan, params, { model: { preprocessing, classNames: data.classNames } });
    expect(proto.graph.nodes.slice(0, 4).map((n) => n.opType)).toEqual(['IsNaN', 'Where', 'Sub', 'Div']);
    const session = await ort.InferenceSession.create(exportOnnx(plan, params, { model: { preprocessing, classNames: data.classNames } }));
    const logits = (await session.run({ features: new ort.Tensor('float32', rows, [batch, 4]) }))['logits']!.data as Float32Array;
    await session.release();
    expect(logits.every(Number.isFinite)).toBe(true);
    const scaled = applyPreprocessing({ ...data, size: batch, features: rows, labels: new Int32Array(batch) }, preprocessing).features;
    const ours = forward(plan, params, { batch, inputs: { [plan.inputs[0]!.id]: scaled } }, { training: false }).values.get(plan.outputs[0]!.source)!;
    expect(maxDiff(logits, ours)).toBeLessThan(1e-4);

    // Without the fill the same rows come out NaN: the graph's fill is what answers them.
    const bare = await ort.InferenceSession.create(exportOnnx(plan, params, { model: { preprocessing: { ...preprocessing, fill: undefined }, classNames: data.classNames } }));
    const unfilled = (await bare.run({ features: new ort.Tensor('float32', rows, [batch, 4]) }))['logits']!.data as Float32Array;
    await bare.release();
    expect(unfilled.some(Number.isNaN)).toBe(true);
  });
});

describe('ONNX export with its preprocessing', () => {
  it('refuses statistics fitted on another feature count', () => {
    const plan = buildModelPlan(mlpClassifier(3, [4], 2));
    const preprocessing = { kind: 'standardize' as const, mean: [0, 0], std: [1, 1] };
    expect(() => exportOnnx(plan, initParameters(plan, { seed: 1 }), { model: { preprocessing, classNames: ['a', 'b'] } })).toThrow(/fitted on 2 features but the model's Input takes 3/);
  });

  it('with no scaling takes raw features straight into the first layer', () => {
    const plan = buildModelPlan(mlpClassifier(3, [4], 2));
    const proto = buildOnnxModel(plan, initParameters(plan, { seed: 1 }), { model: { preprocessing: { kind: 'none', features: 3 }, classNames: ['a', 'b'] } });
    expect(proto.graph.nodes.some((n) => n.opType === 'Sub' || n.opType === 'Div')).toBe(false);
    expect(proto.graph.inputs.map((i) => i.name)).toEqual(['features']);
  });
});
