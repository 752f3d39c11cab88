import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCheckpoint } from '../../compute/export/safetensors/checkpoint';
import { makeBlobs } from '../../compute/data/synthetic';
import { GraphBuilder } from '../../compute/graph/builder';
import type { Graph } from '../../compute/graph/types';
import { useTestGpu } from '../../compute/gpu/test-gpu';
import type { ParameterSet } from '../../compute/model/tensor';
import { train } from '../../compute/train/train';
import type { TrainConfigInput } from '../../compute/train/train-config';
import { TorchExecutor } from './torch-executor';
import { trainOnTorch, type TorchEpoch } from './torch-training';

/**
 * Whole runs: compute/train's train() on Dawn (SwiftShader) and trainOnTorch on torch-cpu, from
 * the same config and dataset (split, initial weights, epoch order and dropout masks all derived
 * from the seed). A run checkpointed on Dawn after one epoch resumes on torch and finishes where
 * the all-Dawn run finishes, within 1e-4 on every weight; and the reverse.
 */
const gpu = useTestGpu();
const TOL = 1e-4;
const data = () => makeBlobs({ pointsPerClass: 32, numFeatures: 4, numClasses: 3, seed: 5 });
// 72 training rows after the 25% hold-out: 4 full batches of 16 per epoch, the rest dropped.
const CONFIG: TrainConfigInput = {
  epochs: 2, batchSize: 16, seed: 9, validationFraction: 0.25, evaluateEveryEpoch: false,
  optimizer: { type: 'adam', lr: 0.02 }, schedule: { type: 'cosine', totalSteps: 8, minLr: 0.001 },
};

function graph(): Graph {
  const g = new GraphBuilder();
  let x = g.add('Input', { shape: [4] });
  x = g.then(g.then(g.then(x, 'Dense', { units: 8 }), 'ReLU'), 'Dropout', { rate: 0.25 });
  const logits = g.then(x, 'Dense', { units: 3 });
  const labels = g.add('Labels', { encoding: 'class-index' });
  const loss = g.add('SoftmaxCrossEntropy');
  g.connect(logits, loss, 'logits');
  g.connect(labels, loss, 'labels');
  return g.build();
}

let torch: TorchExecutor;
beforeAll(async () => {
  torch = await TorchExecutor.start({ device: 'cpu' });
});
afterAll(async () => {
  await torch?.shutdown();
});

async function dawn(config: TrainConfigInput, checkpoint?: Uint8Array): Promise<{ weights: ParameterSet; checkpoint: Uint8Array; steps: number; epochAccuracy: (number | undefined)[] }> {
  const epochAccuracy: (number | undefined)[] = [];
  const run = train(graph(), data(), config, {
    device: gpu().runtime,
    ...(checkpoint ? { checkpoint } : {}),
    onProgress: (event) => {
      if (event.type === 'epoch') epochAccuracy.push(event.accuracy);
    },
  });
  try {
    const result = await run.done;
    return { weights: await run.getWeights(), checkpoint: await run.checkpoint(), steps: result.steps, epochAccuracy };
  } finally {
    run.dispose();
  }
}

function expectClose(what: string, got: ParameterSet, want: ParameterSet): void {
  expect([...got.keys()].sort(), what).toEqual([...want.keys()].sort());
  for (const [name, t] of want) {
    let worst = 0;
    for (let i = 0; i < t.data.length; i++) worst = Math.max(worst, Math.abs(got.get(name)!.data[i]! - t.data[i]!));
    expect(worst, `${what} ${name}: largest |torch - Dawn|`).toBeLessThan(TOL);
  }
}

async function torchWeights(): Promise<ParameterSet> {
  return loadCheckpoint(await torch.checkpoint()).params;
}

describe('whole training runs on torch and Dawn', () => {
  it('train the same from the same seed', async () => {
    const allDawn = await dawn(CONFIG);
    const epochs: TorchEpoch[] = [];
    const result = await trainOnTorch(graph(), data(), CONFIG, { executor: torch, onEpoch: (e) => epochs.push(e) });
    expect(result).toMatchObject({ status: 'completed', steps: 8 });
    expect(allDawn.steps).toBe(8);
    expect(epochs.map((e) => [e.epoch, e.step])).toEqual([[0, 4], [1, 8]]);
    expect(epochs.every((e) => e.loss > 0 && e.samplesPerSecond > 0)).toBe(true);
    // Training accuracy counts argmax hits as the engine does (same weights, masks and batches); logits
    // agree to ~1e-6, so only a near-tie can flip: at most 2 of an epoch's 64 examples.
    expect(allDawn.epochAccuracy.every((a) => a !== undefined && a > 0)).toBe(true);
    for (const [i, e] of epochs.entries()) expect(Math.abs(e.accuracy - allDawn.epochAccuracy[i]!), `epoch ${i} training accuracy ${e.accuracy}`).toBeLessThanOrEqual(2 / 64);
    expectClose('after two epochs:', await torchWeights(), allDawn.weights);
  });

  it('a run checkpointed on Dawn after one epoch finishes on torch where the all-Dawn run finishes', async () => {
    const allDawn = await dawn(CONFIG);
    const firstEpoch = await dawn({ ...CONFIG, epochs: 1 });
    expect(firstEpoch.steps).toBe(4);
    const result = await trainOnTorch(graph(), data(), CONFIG, { executor: torch, checkpoint: firstEpoch.checkpoint });
    expect(result).toMatchObject({ status: 'completed', steps: 8 });
    expect(result.epochs.map((e) => e.epoch)).toEqual([1]);
    expectClose('resumed on torch:', await torchWeights(), allDawn.weights);
  });

  it('a run stopped on torch mid-epoch finishes on Dawn where the all-Dawn run finishes', async () => {
    const allDawn = await dawn(CONFIG);
    const partial = await trainOnTorch(graph(), data(), CONFIG, { executor: torch, stopAtStep: 6 });
    expect(partial).toMatchObject({ status: 'stopped', steps: 6 });
    const resumed = await dawn(CONFIG, await torch.checkpoint());
    expect(resumed.steps).toBe(8);
    expectClose('resumed on Dawn:', resumed.weights, allDawn.weights);
  });
});
