import * as ort from 'onnxruntime-web';
import { beforeAll, describe, expect, it } from 'vitest';
import { randomValues, seededRandom } from '../../cpu/gradcheck';
import { GraphBuilder } from '../../graph/builder';
import { mlpClassifier } from '../../graph/examples';
import type { Graph } from '../../graph/types';
import { forward } from '../../model/forward';
import { initParameters } from '../../model/init';
import { buildModelPlan, type ModelPlan } from '../../model/plan';
import type { ParameterSet } from '../../model/tensor';
import { everyLayerGraph } from '../../model/testing/every-layer-graph';
import { exportOnnx, ONNX_EXPORTABLE_LAYERS } from './export-onnx';

beforeAll(() => {
  // In Node, onnxruntime-web runs its wasm build; one thread avoids spawning workers in tests.
  ort.env.wasm.numThreads = 1;
});

/** Non-trivial running statistics so inference BatchNorm is really exercised. */
function randomizeBatchNorm(plan: ModelPlan, params: ParameterSet, seed: number): void {
  const rand = seededRandom(seed);
  for (const spec of plan.params) {
    if (spec.nodeId.startsWith('batchnorm') && spec.role !== 'weight') params.get(spec.name)!.data.set(randomValues(rand, spec.shape[0]!, spec.role === 'running_var' ? 0.5 : -0.5, 1.5));
  }
}

/** Runs the exported model in onnxruntime and returns the largest |ORT − our CPU| over all outputs. */
async function compare(graph: Graph, batch: number, options: { softmax?: boolean } = {}) {
  const plan = buildModelPlan(graph);
  const params = initParameters(plan, { seed: 17 });
  randomizeBatchNorm(plan, params, 3);
  const bytes = exportOnnx(plan, params, options);
  const session = await ort.InferenceSession.create(bytes);

  const rand = seededRandom(99);
  const feeds: Record<string, ort.Tensor> = {};
  const inputs: Record<string, Float32Array> = {};
  for (const input of plan.inputs) {
    const data = Float32Array.from(randomValues(rand, batch * input.outputShape!.reduce((a, b) => a * b, 1)));
    inputs[input.id] = data;
    feeds[input.id] = new ort.Tensor('float32', data, [batch, ...input.outputShape!]);
  }
  const results = await session.run(feeds);
  const ours = forward(plan, params, { batch, inputs }, { training: false });

  let maxDiff = 0;
  let largest = 0;
  for (const output of plan.outputs) {
    const name = plan.outputs.length === 1 ? (output.lossType === 'MSE' ? 'predictions' : options.softmax ? 'probabilities' : 'logits') : `${output.lossId}/${output.lossType === 'MSE' ? 'predictions' : 'logits'}`;
    const got = results[name];
    expect(got, name).toBeDefined();
    expect(got!.dims).toEqual([batch, ...output.shape]);
    let expected = Array.from(ours.values.get(output.source)!);
    if (options.softmax) expected = softmaxRows(expected, output.shape[0]!);
    const data = got!.data as Float32Array;
    expect(data.length).toBe(expected.length);
    for (let i = 0; i < data.length; i++) {
      maxDiff = Math.max(maxDiff, Math.abs(data[i]! - expected[i]!));
      largest = Math.max(largest, Math.abs(expected[i]!));
    }
  }
  // The comparison means something only if the outputs are not all (near) zero.
  expect(largest).toBeGreaterThan(0.05);
  await session.release();
  return { maxDiff, session, plan, bytes };
}

function softmaxRows(values: number[], cols: number): number[] {
  const out: number[] = [];
  for (let r = 0; r < values.length / cols; r++) {
    const row = values.slice(r * cols, (r + 1) * cols);
    const max = Math.max(...row);
    const sum = row.reduce((s, v) => s + Math.exp(v - max), 0);
    out.push(...row.map((v) => Math.exp(v - max) / sum));
  }
  return out;
}

/** The other export paths: strided 'same' conv and pool with odd sizes, Dense on images, BatchNorm on vectors, Concat on axis 0. */
function cnnVariantsGraph(): Graph {
  const g = new GraphBuilder();
  const image = g.add('Input', { shape: [7, 7, 3] }, 'pixels');
  let x = g.then(image, 'Conv2D', { filters: 4, kernelSize: 3, stride: 2, padding: 'same' }); // [4, 4, 4]
  x = g.then(x, 'MaxPool2D', { poolSize: 3, stride: 2, padding: 'same' }); // [2, 2, 4]
  const wide = g.then(x, 'Dense', { units: 5, useBias: false }); // MatMul on a rank-4 tensor
  const dense = g.then(x, 'Dense', { units: 5 }); // MatMul + Add
  const joined = g.add('Concat', { axis: 0 });
  g.connect(wide, joined, 'a');
  g.connect(dense, joined, 'b'); // [4, 2, 5]
  x = g.then(g.then(joined, 'BatchNorm'), 'Reshape', { targetShape: [-1, 8] }); // BatchNorm on rank-4
  x = g.then(g.then(x, 'Flatten'), 'Dense', { units: 6 });
  x = g.then(g.then(x, 'BatchNorm', { epsilon: 1e-3 }), 'GELU'); // BatchNorm on vectors
  x = g.then(x, 'Dense', { units: 3 });
  const labels = g.add('Labels');
  const loss = g.add('SoftmaxCrossEntropy');
  g.connect(x, loss, 'logits');
  g.connect(labels, loss, 'labels');
  return g.build();
}

describe('ONNX export', () => {
  it('exports an MLP that onnxruntime runs like our CPU forward pass', async () => {
    const { maxDiff } = await compare(mlpClassifier(64, [32, 16], 10), 5);
    expect(maxDiff).toBeLessThan(1e-4);
  });

  it('exports a CNN with every exportable layer, two branches and two outputs', async () => {
    const { maxDiff, session, plan } = await compare(everyLayerGraph(), 4);
    expect(maxDiff).toBeLessThan(1e-4);
    expect(new Set(plan.nodes.map((n) => n.type)).size).toBe(20);
    expect(session.inputNames).toEqual(['image']);
    expect(session.outputNames).toEqual(['softmaxcrossentropy1/logits', 'mse1/predictions']);
  });

  it('exports strided same-padding convolution and pooling, Dense on images and both BatchNorm forms', async () => {
    const { maxDiff } = await compare(cnnVariantsGraph(), 3, { softmax: true });
    expect(maxDiff).toBeLessThan(1e-4);
  });

  it('lists every non-io, non-loss layer of the catalog as exportable', () => {
    expect([...ONNX_EXPORTABLE_LAYERS].sort()).toEqual(
      ['Add', 'AvgPool2D', 'BatchNorm', 'Concat', 'Conv2D', 'Dense', 'Dropout', 'Flatten', 'GELU', 'LeakyReLU', 'MaxPool2D', 'ReLU', 'Reshape', 'Sigmoid', 'Softmax', 'Tanh'].sort(),
    );
  });

  it('refuses to export with missing weights', () => {
    const plan = buildModelPlan(mlpClassifier(4, [3], 2));
    const params = initParameters(plan, { seed: 1 });
    params.delete('dense2.weight');
    expect(() => exportOnnx(plan, params)).toThrow(/Parameter 'dense2.weight' is missing/);
  });
});
