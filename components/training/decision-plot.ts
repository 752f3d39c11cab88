import { featureSize, type ClassificationDataset, type Dataset } from '@/compute/data';
import { applyPreprocessingToFeatures, preprocessingWidth, type Preprocessing } from '@/compute/data/preprocessing';
import { decisionBoundary, EvalError, gridBounds, gridPoints, type DecisionBoundary } from '@/compute/eval';

export interface BoundaryPlot extends DecisionBoundary {
  /** Examples drawn over the regions, in the same feature space as the grid. */
  readonly points: { readonly x: number; readonly y: number; readonly label: number }[];
}

/** 50 x 50 cells: 2,500 forward rows, a few milliseconds for the small models 2-feature data gets. */
export const BOUNDARY_RESOLUTION = 50;
/** Enough examples to show the classes' shapes without hiding the regions under them. */
export const BOUNDARY_MAX_POINTS = 400;

/**
 * TensorFlow Playground's picture for a two-feature classifier: the class the model predicts over a
 * grid spanning the examples, with the examples on top. Drawn in the units of `dataset`: pass the
 * raw rows and the model's preprocessing, and the grid is scaled the way the model scales its input,
 * so the axes read as the file's values. null for other data, or when the model's outputs on the
 * grid are not finite.
 */
export function boundaryPlot(dataset: Dataset, predictLogits: (grid: ClassificationDataset) => ArrayLike<number>, classes: number, preprocessing?: Preprocessing): BoundaryPlot | null {
  if (dataset.task !== 'classification' || featureSize(dataset) !== 2 || dataset.size === 0) return null;
  if (preprocessing && preprocessingWidth(preprocessing) !== 2) return null;
  const bounds = gridBounds(dataset.features);
  const cells = BOUNDARY_RESOLUTION * BOUNDARY_RESOLUTION;
  const cellCentres = gridPoints(bounds, BOUNDARY_RESOLUTION);
  const features = preprocessing ? applyPreprocessingToFeatures(preprocessing, cellCentres) : cellCentres;
  const grid: ClassificationDataset = { ...dataset, size: cells, features, labels: new Int32Array(cells) };
  let boundary: DecisionBoundary;
  try {
    boundary = decisionBoundary(bounds, BOUNDARY_RESOLUTION, predictLogits(grid), classes);
  } catch (error) {
    if (error instanceof EvalError) return null;
    throw error;
  }
  const step = Math.max(1, Math.ceil(dataset.size / BOUNDARY_MAX_POINTS));
  const points: BoundaryPlot['points'][number][] = [];
  for (let i = 0; i < dataset.size; i += step) points.push({ x: dataset.features[2 * i]!, y: dataset.features[2 * i + 1]!, label: dataset.labels[i]! });
  return { ...boundary, points };
}
