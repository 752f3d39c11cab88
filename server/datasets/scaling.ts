import { z } from 'zod';
import { DEFAULT_PREPROCESSING, PREPROCESSING_KINDS, type PreprocessingKind } from '../../compute/data/preprocessing';
import type { DatasetDoc } from '../db/collections';

const [firstKind, ...otherKinds] = PREPROCESSING_KINDS;

/** The feature scaling an owner may choose for a dataset (validated in the router). */
export const scalingInput = z
  .enum([firstKind, ...otherKinds], { error: "Choose 'standardize', 'minmax' or 'none' for feature scaling." })
  .optional();

/** The dataset's feature scaling; records from before the setting read as the default (standardisation). */
export function scalingOf(dataset: Pick<DatasetDoc, 'preprocessing'>): PreprocessingKind {
  return dataset.preprocessing ?? DEFAULT_PREPROCESSING;
}
