import type { Dataset } from './dataset';
import { DatasetError } from './dataset-error';
import { mulberry32, permutation } from './random';
import { selectRows } from './select-rows';

export interface SplitOptions {
  /** Share of examples held out for validation, strictly between 0 and 1. */
  readonly validationFraction: number;
  /** Shuffle with this seed before splitting; default 0. Files are often sorted by class, so never split unshuffled. */
  readonly seed?: number;
  /** Classification only: hold out the same fraction of every class. Default false. */
  readonly stratify?: boolean;
}

export interface Split<D extends Dataset> {
  readonly train: D;
  readonly validation: D;
}

export function splitDataset<D extends Dataset>(dataset: D, options: SplitOptions): Split<D> {
  const { validationFraction: fraction } = options;
  if (!(fraction > 0 && fraction < 1)) {
    throw new DatasetError('INVALID_OPTION', `validationFraction must be greater than 0 and less than 1 (got ${fraction})`);
  }
  const random = mulberry32(options.seed ?? 0);
  const order = permutation(dataset.size, random);
  let train: number[];
  let validation: number[];
  if (options.stratify && dataset.task === 'classification') {
    const byClass: number[][] = Array.from({ length: dataset.numClasses }, () => []);
    for (const row of order) byClass[dataset.labels[row]!]!.push(row);
    train = [];
    validation = [];
    for (const rows of byClass) {
      const held = Math.round(rows.length * fraction);
      validation.push(...rows.slice(0, held));
      train.push(...rows.slice(held));
    }
    // Keep the shuffled order within each split rather than grouped by class.
    const rank = new Int32Array(dataset.size);
    order.forEach((row, i) => (rank[row] = i));
    train.sort((a, b) => rank[a]! - rank[b]!);
    validation.sort((a, b) => rank[a]! - rank[b]!);
  } else {
    const held = Math.round(dataset.size * fraction);
    validation = Array.from(order.subarray(0, held));
    train = Array.from(order.subarray(held));
  }
  if (train.length === 0 || validation.length === 0) {
    throw new DatasetError(
      'INVALID_OPTION',
      `Splitting ${dataset.size} examples with validationFraction ${fraction} leaves ${train.length} for training and ${validation.length} for validation; both need at least one`,
    );
  }
  return { train: selectRows(dataset, train), validation: selectRows(dataset, validation) };
}
