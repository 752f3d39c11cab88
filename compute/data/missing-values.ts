import { featureSize, type Dataset } from './dataset';

/**
 * What to do with a missing cell: refuse the file (naming the row and column), drop the rows that
 * have one, or fill feature cells with the mean of the training rows. 'mean' cannot be applied at
 * parse time (the split is not known yet): the parser leaves NaN there and the trainer calls
 * fillMissingWithTrainMean after splitting.
 */
export type MissingPolicy = 'refuse' | 'drop-rows' | 'mean';

export const MISSING_POLICIES: readonly MissingPolicy[] = ['refuse', 'drop-rows', 'mean'];

/** pandas' default NA markers (read_csv na_values), so a file reads as it does there. */
const MISSING_MARKERS: ReadonlySet<string> = new Set([
  '',
  '#N/A',
  '#N/A N/A',
  '#NA',
  '-1.#IND',
  '-1.#QNAN',
  '-NaN',
  '-nan',
  '1.#IND',
  '1.#QNAN',
  '<NA>',
  'N/A',
  'NA',
  'NULL',
  'NaN',
  'None',
  'n/a',
  'nan',
  'null',
]);

export function isMissingCell(cell: string): boolean {
  return MISSING_MARKERS.has(cell);
}

/** The fitted fill: one value per feature element, the mean of that feature over the training rows. */
export interface MissingFill {
  readonly means: Float32Array;
}

/**
 * Fits per-feature means on `train` (ignoring its NaN cells) and replaces every NaN in `train` and
 * in each of `others` with them. Statistics come from training rows only, so validation and test
 * rows never leak into what the model sees. A feature with no value in any training row fills with 0.
 * Datasets without NaN come back unchanged (the same objects).
 */
export function fillMissingWithTrainMean<D extends Dataset>(train: D, ...others: D[]): { fill: MissingFill; train: D; others: D[] } {
  const width = featureSize(train);
  const sum = new Float64Array(width);
  const count = new Float64Array(width);
  for (let i = 0; i < train.features.length; i++) {
    const value = train.features[i]!;
    if (Number.isNaN(value)) continue;
    sum[i % width]! += value;
    count[i % width]!++;
  }
  const means = Float32Array.from(sum, (s, f) => (count[f]! > 0 ? s / count[f]! : 0));
  const fill = { means };
  return { fill, train: applyMissingFill(train, fill), others: others.map((d) => applyMissingFill(d, fill)) };
}

export function applyMissingFill<D extends Dataset>(dataset: D, fill: MissingFill): D {
  const width = fill.means.length;
  if (width !== featureSize(dataset)) throw new RangeError(`The fill was fitted on ${width} features but the dataset has ${featureSize(dataset)}`);
  if (!dataset.features.some(Number.isNaN)) return dataset;
  const features = Float32Array.from(dataset.features, (value, i) => (Number.isNaN(value) ? fill.means[i % width]! : value));
  return { ...dataset, features };
}
