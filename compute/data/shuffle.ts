import type { Dataset } from './dataset';
import { mulberry32, permutation } from './random';
import { selectRows } from './select-rows';

/** The same examples in a seeded random order; features and labels stay paired. */
export function shuffleDataset<D extends Dataset>(dataset: D, seed: number): D {
  return selectRows(dataset, permutation(dataset.size, mulberry32(seed)));
}
