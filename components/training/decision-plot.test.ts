import { describe, expect, it } from 'vitest';
import { makeSpirals, type ClassificationDataset } from '@/compute/data';
import { BOUNDARY_MAX_POINTS, BOUNDARY_RESOLUTION, boundaryPlot } from './decision-plot';

describe('boundaryPlot', () => {
  // A "model" that predicts class 1 right of x = 0 and class 0 left of it, fed the grid rows it is given.
  const byX = (grid: ClassificationDataset) => {
    const out = new Float32Array(grid.size * 2);
    for (let r = 0; r < grid.size; r++) out[r * 2 + 1] = grid.features[r * 2]! > 0 ? 5 : -5;
    return out;
  };

  it('colours the grid by the predicted class and keeps a sample of the examples', () => {
    const data = makeSpirals({ pointsPerClass: 200, seed: 1 });
    const plot = boundaryPlot(data, byX, 2)!;
    expect(plot.resolution).toBe(BOUNDARY_RESOLUTION);
    expect(plot.predicted).toHaveLength(BOUNDARY_RESOLUTION ** 2);
    // The grid is symmetric-ish around 0 for spirals, so the top row is class 0 on the left, class 1 on the right.
    expect(plot.predicted[0]).toBe(0);
    expect(plot.predicted[BOUNDARY_RESOLUTION - 1]).toBe(1);
    expect(plot.points.length).toBeLessThanOrEqual(BOUNDARY_MAX_POINTS);
    expect(plot.points[0]).toEqual({ x: data.features[0], y: data.features[1], label: data.labels[0] });
  });

  it('draws nothing for data without exactly two features, or for non-finite outputs', () => {
    const wide: ClassificationDataset = { task: 'classification', size: 1, featureShape: [3], features: new Float32Array(3), labels: new Int32Array(1), numClasses: 2, classNames: ['a', 'b'] };
    expect(boundaryPlot(wide, byX, 2)).toBeNull();
    const data = makeSpirals({ pointsPerClass: 10, seed: 2 });
    expect(boundaryPlot(data, (grid) => new Float32Array(grid.size * 3).fill(Number.NaN), 3)).toBeNull();
  });

  it('drawn in the raw units: the grid spans the raw rows and is scaled like the model input', () => {
    // Raw x in [1000, 3000]; the model was trained on standardised x and predicts class 1 for x > 0,
    // i.e. raw x above the mean 2000. The plot's axes must read 1000..3000, and the boundary sit at 2000.
    const raw = makeSpirals({ pointsPerClass: 100, seed: 3 });
    const features = Float32Array.from(raw.features, (v, i) => (i % 2 === 0 ? 2000 + 1000 * Math.max(-1, Math.min(1, v)) : v));
    const data = { ...raw, features };
    const preprocessing = { kind: 'standardize' as const, mean: [2000, 0], std: [500, 1] };
    const plot = boundaryPlot(data, byX, 2, preprocessing)!;
    expect(plot.bounds.xMin).toBeLessThan(1100);
    expect(plot.bounds.xMax).toBeGreaterThan(2900);
    const row = plot.predicted.slice(0, BOUNDARY_RESOLUTION);
    const flip = row.findIndex((c) => c === 1);
    const x = plot.bounds.xMin + ((flip + 0.5) / BOUNDARY_RESOLUTION) * (plot.bounds.xMax - plot.bounds.xMin);
    expect(Math.abs(x - 2000)).toBeLessThan(((plot.bounds.xMax - plot.bounds.xMin) / BOUNDARY_RESOLUTION) * 1.5);
    expect(plot.points[0]!.x).toBe(data.features[0]);
  });
});
