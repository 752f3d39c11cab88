import { describe, expect, it } from 'vitest';
import { makeBlobs } from '../data/synthetic';
import { mlpClassifier } from '../graph/examples';
import { GraphBuilder } from '../graph/builder';
import { useTestGpu } from '../gpu/test-gpu';
import { loadWeights } from '../export/safetensors/weights';
import { modelMetadataEntries, readModelMetadata, readSafetensors } from '../export';
import type { TrainingEvent } from './progress';
import { train } from './train';
import { TrainError } from './train-error';

const gpu = useTestGpu();
const blobs = () => makeBlobs({ pointsPerClass: 32, numFeatures: 4, numClasses: 3, seed: 5 });

function graph() {
  return mlpClassifier(4, [8], 3);
}

describe('train()', () => {
  it('reports batch and epoch metrics and repeats exactly with the same seed', async () => {
    const events: TrainingEvent[] = [];
    const config = { epochs: 2, batchSize: 16, seed: 9, metricsEvery: 2, validationFraction: 0.25, optimizer: { type: 'adam' as const, lr: 0.05 } };
    const first = train(graph(), blobs(), config, { device: gpu().runtime, onProgress: (e) => events.push(e) });
    const result = await first.done;
    expect(result.status).toBe('completed');
    expect(result.steps).toBe(2 * 4); // 72 training examples → 4 full batches of 16 per epoch
    const batches = events.filter((e) => e.type === 'batch');
    const epochs = events.filter((e) => e.type === 'epoch');
    expect(batches).toHaveLength(4);
    // In step order, however the metric readbacks resolve (they once came out of order under load).
    expect(batches.map((b) => b.step)).toEqual([2, 4, 6, 8]);
    expect(epochs).toHaveLength(2);
    for (const b of batches) {
      expect(b.loss).toBeGreaterThan(0);
      expect(b.accuracy).toBeGreaterThanOrEqual(0);
      expect(b.batchTimeMs).toBeGreaterThan(0);
      expect(b.samplesPerSecond).toBeGreaterThan(0);
      expect(b.learningRate).toBe(0.05);
    }
    // The ETA leaves out the first report (compiles) and needs two more to measure a rate; at the last step nothing is left.
    expect(batches[0]!.etaMs).toBeUndefined();
    expect(batches[1]!.etaMs).toBeUndefined();
    expect(batches.at(-1)!.etaMs).toBe(0);
    expect(result.test).toBeUndefined();
    expect(result.earlyStopping).toBeUndefined();
    expect(epochs[1]!.validationAccuracy).toBeGreaterThan(0);
    expect(result.validation!.confusion!.flat().reduce((a, b) => a + b, 0)).toBe(24);
    expect(result.validation!.perClassAccuracy).toHaveLength(3);
    expect(events.filter((e) => e.type === 'state').map((e) => e.state)).toEqual(['running', 'completed']);

    const second = train(graph(), blobs(), config, { device: gpu().runtime });
    await second.done;
    const [a, b] = await Promise.all([first.getWeights(), second.getWeights()]);
    for (const [name, t] of a) expect(Array.from(b.get(name)!.data), name).toEqual(Array.from(t.data));
    first.dispose();
    second.dispose();
  });

  it('pauses, resumes and stops; an AbortSignal stops too', async () => {
    const data = makeBlobs({ pointsPerClass: 22, numFeatures: 4, numClasses: 3, seed: 2 });
    let pausedAt = -1;
    const run: ReturnType<typeof train> = train(graph(), data, { epochs: 50, batchSize: 8, metricsEvery: 1 }, {
      device: gpu().runtime,
      onProgress: (e) => {
        if (e.type === 'batch' && e.step >= 2 && pausedAt < 0) {
          run.pause();
          pausedAt = run.step;
        }
      },
    });
    await until(() => pausedAt >= 0);
    expect(run.state).toBe('paused');
    await sleep(150);
    // At most the step that was already being submitted finishes after pause().
    expect(run.step).toBeLessThanOrEqual(pausedAt + 1);
    const held = run.step;
    await sleep(100);
    expect(run.step).toBe(held);
    run.resume();
    expect(run.state).toBe('running');
    await until(() => run.step >= held + 3);
    run.stop();
    const result = await run.done;
    expect(result.status).toBe('stopped');
    expect(result.steps).toBeLessThan(50 * 8);
    expect(run.state).toBe('stopped');
    run.dispose();

    const controller = new AbortController();
    const aborted = train(graph(), data, { epochs: 50, batchSize: 8 }, { device: gpu().runtime, signal: controller.signal });
    await until(() => aborted.step >= 2);
    controller.abort();
    expect((await aborted.done).status).toBe('stopped');
    aborted.dispose();
  });

  it('saves weights and checkpoints and resumes from a checkpoint', async () => {
    const data = blobs();
    const config = { epochs: 1, batchSize: 16, seed: 4, optimizer: { type: 'sgd' as const, lr: 0.1, momentum: 0.9 } };
    const run = train(graph(), data, config, { device: gpu().runtime });
    await run.done;
    const weights = loadWeights(await run.saveWeights());
    const live = await run.getWeights();
    expect([...weights.keys()]).toEqual(['dense1.weight', 'dense1.bias', 'dense2.weight', 'dense2.bias']);
    expect(Array.from(weights.get('dense2.weight')!.data)).toEqual(Array.from(live.get('dense2.weight')!.data));
    const checkpoint = await run.checkpoint();
    // A checkpoint carries the model's metadata (scaling, class names) when given it, like exported weights.
    const meta = { preprocessing: { kind: 'standardize' as const, mean: [0, 0, 0, 0], std: [1, 2, 3, 4] }, classNames: ['a', 'b', 'c'] };
    expect(readModelMetadata(readSafetensors(await run.checkpoint(modelMetadataEntries(meta))).metadata)).toEqual(meta);

    // Two epochs in one go must equal one epoch, a checkpoint, and a resumed second epoch.
    const straight = train(graph(), data, { ...config, epochs: 2 }, { device: gpu().runtime });
    const resumed = train(graph(), data, { ...config, epochs: 2 }, { device: gpu().runtime, checkpoint });
    const [s, r] = await Promise.all([straight.done, resumed.done]);
    expect(s.steps).toBe(12);
    expect(r.steps).toBe(12);
    expect(r.epochs).toHaveLength(1);
    const [ws, wr] = await Promise.all([straight.getWeights(), resumed.getWeights()]);
    for (const [name, t] of ws) expect(Array.from(wr.get(name)!.data), name).toEqual(Array.from(t.data));
    for (const r2 of [run, straight, resumed]) r2.dispose();
  });

  it('rejects data that does not fit the graph, and bad configs, with clear errors', () => {
    const wrongWidth = makeBlobs({ pointsPerClass: 4, numFeatures: 5, numClasses: 3, seed: 1 });
    expect(() => train(graph(), wrongWidth, {}, { device: gpu().runtime })).toThrow(/shape \[5\].*expects \[4\]/);
    try {
      train(graph(), blobs(), { batchSize: 0 }, { device: gpu().runtime });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(TrainError);
      expect((e as TrainError).code).toBe('INVALID_CONFIG');
      expect((e as TrainError).field).toBe('batchSize');
    }
  });

  it('trains a regression model with MSE', async () => {
    const g = new GraphBuilder();
    const x = g.add('Input', { shape: [2] });
    const y = g.then(g.then(g.then(x, 'Dense', { units: 8 }), 'Tanh'), 'Dense', { units: 1 });
    const t = g.add('Labels', { encoding: 'values', shape: [1] });
    const loss = g.add('MSE');
    g.connect(y, loss, 'predictions');
    g.connect(t, loss, 'targets');
    const n = 64;
    const features = Float32Array.from({ length: n * 2 }, (_, i) => Math.sin(i * 1.7));
    const labels = Float32Array.from({ length: n }, (_, i) => features[2 * i]! * 0.5 - features[2 * i + 1]! * 0.25);
    const data = { task: 'regression' as const, size: n, featureShape: [2], features, labels, labelShape: [1] };
    const run = train(g.build(), data, { epochs: 30, batchSize: 16, optimizer: { type: 'adam', lr: 0.02 } }, { device: gpu().runtime });
    const result = await run.done;
    expect(result.epochs.at(-1)!.loss).toBeLessThan(result.epochs[0]!.loss / 4);
    const evaluation = await run.evaluate(data);
    expect(evaluation.accuracy).toBeUndefined();
    expect(evaluation.loss).toBeLessThan(0.01);
    run.dispose();
  });
});

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function until(condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error('timed out waiting for a condition');
    await sleep(5);
  }
}
