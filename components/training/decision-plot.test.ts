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
});
