import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../graph/builder';
import { mlpClassifier } from '../graph/examples';
import { useTestGpu } from '../gpu/test-gpu';
import { initParameters } from '../model/init';
import { buildModelPlan } from '../model/plan';
import { EngineError } from './engine-error';
import { GpuEngine } from './gpu-engine';

const gpu = useTestGpu();

function dropoutGraph(rate: number) {
  const g = new GraphBuilder();
  const x = g.add('Input', { shape: [256] });
  const d = g.then(x, 'Dropout', { rate });
  const y = g.then(d, 'Dense', { units: 2, useBias: false });
  const t = g.add('Labels', { encoding: 'values', shape: [2] });
  const loss = g.add('MSE');
  g.connect(y, loss, 'predictions');
  g.connect(t, loss, 'targets');
  return g.build();
}

describe('GpuEngine', () => {
  it('round-trips weights and rejects mismatched ones', async () => {
    const graph = mlpClassifier(6, [5], 3);
    const engine = await GpuEngine.create(gpu().runtime, graph, { batchSize: 4, optimizer: { type: 'sgd', lr: 0.1 }, seed: 2 });
    const init = initParameters(buildModelPlan(graph), { seed: 2 });
    const got = await engine.getParameters();
    for (const [name, t] of init) expect(Array.from(got.get(name)!.data)).toEqual(Array.from(t.data));
    const bad = new Map(init);
    bad.set('dense1.weight', { shape: [6, 4], data: new Float32Array(24) });
    expect(() => engine.setParameters(bad)).toThrow(EngineError);
    expect(() => engine.trainStep({ size: 3, features: new Float32Array(18), labels: new Int32Array(3) })).toThrow(/exactly 4 examples/);
    engine.destroy();
    expect(() => engine.trainStep({ size: 4, features: new Float32Array(24), labels: new Int32Array(4) })).toThrow(/destroyed/);
  });

  it('drops inputs at the configured rate in training, repeatably, and is the identity at inference', async () => {
    const graph = dropoutGraph(0.25);
    // Identity weights on the first two features make predictions expose the dropout mask.
    const params = initParameters(buildModelPlan(graph), { seed: 1 });
    const w = new Float32Array(512);
    w[0] = 1;
    w[3] = 1;
    params.set('dense1.weight', { shape: [256, 2], data: w });
    const features = Float32Array.from({ length: 8 * 256 }, () => 1);
    const engine = await GpuEngine.create(gpu().runtime, graph, { batchSize: 8, optimizer: { type: 'sgd', lr: 1e-9 }, seed: 5, params });
    expect(Array.from(await engine.predict(features, 8))).toEqual(new Array(16).fill(1));

    // With zero targets the loss is mean(y²) where y_i = mask_i / 0.75; count kept units from it.
    const runs: number[] = [];
    for (let i = 0; i < 2; i++) {
      engine.trainStep({ size: 8, features, labels: new Float32Array(16) });
      runs.push((await engine.readMetrics()).loss);
    }
    const kept = runs.map((loss) => Math.round((loss * 16) * 0.75 * 0.75));
    for (const k of kept) expect(k).toBeGreaterThan(6);
    for (const k of kept) expect(k).toBeLessThan(16);
    // Masks change per step but repeat for the same seed and step.
    const again = await GpuEngine.create(gpu().runtime, graph, { batchSize: 8, optimizer: { type: 'sgd', lr: 1e-9 }, seed: 5, params });
    again.trainStep({ size: 8, features, labels: new Float32Array(16) });
    expect((await again.readMetrics()).loss).toBe(runs[0]);
    engine.destroy();
    again.destroy();
  });
});
