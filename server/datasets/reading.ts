import { z } from 'zod';
import { CATEGORICAL_ENCODINGS, COLUMN_TYPE_CHOICES, HEADER_CHOICES, MISSING_POLICIES, type CsvOptions } from '../../compute/data';
import type { DatasetDoc, DatasetReading } from '../db/collections';
import { MAX_COLUMNS } from './limits';

/** Today's behaviour, and what records from before these settings read as. */
export const DEFAULT_READING: DatasetReading = { missing: 'refuse', categoricalEncoding: 'one-hot', columnTypes: [], header: 'auto' };

const [firstPolicy, ...otherPolicies] = MISSING_POLICIES;
const [firstEncoding, ...otherEncodings] = CATEGORICAL_ENCODINGS;
const [firstType, ...otherTypes] = COLUMN_TYPE_CHOICES;
const [firstHeader, ...otherHeaders] = HEADER_CHOICES;

/** The reading settings an owner may send, each optional (validated in the router and the upload route). */
export const readingInput = {
  missing: z.enum([firstPolicy!, ...otherPolicies], { error: "Choose 'refuse', 'drop-rows' or 'mean' for missing values." }).optional(),
  categoricalEncoding: z.enum([firstEncoding!, ...otherEncodings], { error: "Choose 'one-hot' or 'index' encoding for categorical columns." }).optional(),
  columnTypes: z
    .array(z.enum([firstType!, ...otherTypes], { error: "Each column type is 'auto', 'numeric' or 'categorical'." }))
    .max(MAX_COLUMNS, `A dataset has at most ${MAX_COLUMNS} columns.`)
    .optional(),
  header: z.enum([firstHeader!, ...otherHeaders], { error: "Choose 'auto', 'names' or 'none' for the first line." }).optional(),
};

export const missingPolicySchema = readingInput.missing;

export function readingOf(dataset: Pick<DatasetDoc, 'reading'>): DatasetReading {
  return { ...DEFAULT_READING, ...dataset.reading };
}

/** The parser options that read a CSV the way its dataset says (the trainer must pass the same). */
export function csvReadOptions(reading: DatasetReading): Pick<CsvOptions, 'missing' | 'categoricalEncoding' | 'columnTypes' | 'header'> {
  return { missing: reading.missing, categoricalEncoding: reading.categoricalEncoding, columnTypes: reading.columnTypes, header: reading.header ?? 'auto' };
}
