import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ClassificationDataset, Dataset } from '@/compute/data';
import type { Graph } from '@/compute/graph';
import { useTestGpu } from '@/compute/gpu/test-gpu';
import { train } from '@/compute/train';
import { findTemplate } from '@/server/models/templates';
import { DEFAULT_FORM, parseForm, withDatasetSettings } from './config-form';
import { prepareData } from '@/compute/train/prepare-data';

// A vitest helper (beforeAll/afterAll), not a React hook, despite its name.
// eslint-disable-next-line react-hooks/rules-of-hooks
const gpu = useTestGpu();
const SEEDS = 20;

/** The MLP template adapted to iris as a user does it: Input [4], 3 units in the last Dense. */
function irisMlp(): Graph {
  const graph = findTemplate('mlp').build();
  const dense = graph.nodes.filter((n) => n.type === 'Dense');
  const last = dense.at(-1)!.id;
  return {
    ...graph,
    nodes: graph.nodes.map((n) => (n.type === 'Input' ? { ...n, params: { ...n.params, shape: [4] } } : n.id === last ? { ...n, params: { ...n.params, units: 3 } } : n)),
  };
}

/** Plain 5-nearest-neighbours (Euclidean, majority vote, ties to the lower class), scikit-learn's default. */
function knnAccuracy(trainSet: Dataset, validation: Dataset, k = 5): number {
  const f = trainSet.featureShape.reduce((a, b) => a * b, 1);
  const trainLabels = (trainSet as ClassificationDataset).labels;
  const labels = (validation as ClassificationDataset).labels;
  const classes = (trainSet as ClassificationDataset).numClasses;
  let right = 0;
  for (let v = 0; v < validation.size; v++) {
    const distances: { d: number; label: number }[] = [];
    for (let t = 0; t < trainSet.size; t++) {
      let d = 0;
      for (let j = 0; j < f; j++) d += (validation.features[v * f + j]! - trainSet.features[t * f + j]!) ** 2;
      distances.push({ d, label: trainLabels[t]! });
    }
    distances.sort((a, b) => a.d - b.d);
    const votes = new Array<number>(classes).fill(0);
    for (const { label } of distances.slice(0, k)) votes[label]!++;
    if (votes.indexOf(Math.max(...votes)) === labels[v]) right++;
  }
  return right / validation.size;
}

const mean = (values: number[]) => values.reduce((a, b) => a + b, 0) / values.length;

/**
 * One validation split of 30 iris rows is too noisy to judge defaults by: over 60 seeded splits
 * even logistic regression and 5-NN reach 95% on only half of them. So the panel's defaults are
 * judged over 20 splits against 5-NN on exactly the same rows, which any sound pipeline matches.
 * He-initialised hidden layers and ten epochs (the old defaults) scored 90.5% here against 94.0%.
 */
describe('the panel defaults on a small table (iris)', () => {
  it('the MLP template with the default settings matches 5-NN on the same 20 seeded splits', async () => {
    const bytes = readFileSync(path.resolve(process.cwd(), '../shared/datasets/iris.csv'));
    const spec = { kind: 'csv' as const, label: 'iris', bytes: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer, labelColumn: -1 };
    const form = withDatasetSettings(DEFAULT_FORM, { rows: 150, validationSplit: 0.2, preprocessing: 'standardize' });
    expect(form.epochs).toBe('50');
    const ours: number[] = [];
    const knn: number[] = [];
    for (let seed = 1; seed <= SEEDS; seed++) {
      const parsed = parseForm({ ...form, seed: String(seed) }, 150);
      if (!parsed.ok) throw new Error(parsed.message);
      const config = parsed.config;
      const data = prepareData(spec, config.validationFraction!, config.testFraction!, seed, form.preprocessing);
      expect(data.validation.size).toBe(30);
      const run = train(irisMlp(), { train: data.train, validation: data.validation, test: data.test }, config, { device: gpu().runtime });
      const result = await run.done;
      run.dispose();
      ours.push(result.validation!.accuracy!);
      knn.push(knnAccuracy(data.train, data.validation));
    }
    const percent = (values: number[]) => `${(mean(values) * 100).toFixed(1)}%`;
    console.log(`iris, ${SEEDS} seeded splits: MLP template with the defaults ${percent(ours)} mean validation accuracy, 5-NN ${percent(knn)}; MLP at least 95% on ${ours.filter((a) => a >= 0.95).length}`);
    expect(mean(ours)).toBeGreaterThanOrEqual(mean(knn) - 0.005);
    expect(mean(ours)).toBeGreaterThanOrEqual(0.93);
  }, 120_000);
});
