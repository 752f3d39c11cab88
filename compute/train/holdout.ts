import type { Dataset } from '../data/dataset';
import { splitDataset } from '../data/split';
import { TrainError } from './train-error';

export interface HoldOutOptions {
  /** Shares of the whole dataset; together below 1. */
  readonly validationFraction: number;
  readonly testFraction: number;
  readonly seed: number;
}

export interface HoldOut<D extends Dataset> {
  readonly train: D;
  readonly validation: D | undefined;
  readonly test: D | undefined;
}

/**
 * Splits one dataset into training, validation and test sets (stratified for classification). The
 * test rows are drawn first, from labels and the seed alone, so what they contain can never change
 * which rows train or validate. Without a test share the validation split is the one splitDataset
 * makes with the same seed.
 */
export function holdOut<D extends Dataset>(dataset: D, options: HoldOutOptions): HoldOut<D> {
  const { validationFraction, testFraction, seed } = options;
  if (validationFraction + testFraction >= 1) {
    throw new TrainError('INVALID_CONFIG', `Validation (${validationFraction}) and test (${testFraction}) fractions together must leave rows for training`, 'testFraction');
  }
  const stratify = dataset.task === 'classification';
  let rest: D = dataset;
  let test: D | undefined;
  if (testFraction > 0) {
    const split = splitDataset(dataset, { validationFraction: testFraction, seed: testSeed(seed), stratify });
    rest = split.train;
    test = split.validation;
  }
  if (validationFraction <= 0) return { train: rest, validation: undefined, test };
  // The validation share is of the whole dataset, so it grows as a share of what the test left.
  const split = splitDataset(rest, { validationFraction: validationFraction / (1 - testFraction), seed, stratify });
  return { train: split.train, validation: split.validation, test };
}

function testSeed(seed: number): number {
  return (Math.imul(seed ^ 0x7e57, 0x85ebca6b) + 0x165667b1) >>> 0;
}
