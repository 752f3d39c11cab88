import { z } from 'zod';
import { encodedInputWidth, InputColumnsSchema, type InputColumn } from '../data/input-columns';
import { preprocessingWidth, PreprocessingSchema, type Preprocessing } from '../data/preprocessing';

/**
 * What a model needs besides its weights to be used on raw rows: the fitted preprocessing, the
 * class names and, for tables, the raw input columns and how they were encoded. Exports record it
 * under these string keys (ONNX metadata_props, safetensors __metadata__), as JSON, so any reader
 * can rebuild the pipeline.
 */
export interface ModelMetadata {
  readonly preprocessing: Preprocessing;
  /** One per class index; empty for regression. */
  readonly classNames: readonly string[];
  /**
   * The raw columns a row gives, in file order, and how each becomes features (one-hot, index or
   * as is). Absent: the features are the raw values themselves (older runs, images, generated data).
   */
  readonly inputColumns?: readonly InputColumn[];
}

export const MODEL_METADATA_KEYS = { preprocessing: 'preprocessing', classNames: 'class_names', inputColumns: 'input_columns' } as const;

const ClassNamesSchema = z.array(z.string().max(200)).max(100_000);

export function modelMetadataEntries(meta: ModelMetadata): Record<string, string> {
  return {
    [MODEL_METADATA_KEYS.preprocessing]: JSON.stringify(meta.preprocessing),
    [MODEL_METADATA_KEYS.classNames]: JSON.stringify(meta.classNames),
    ...(meta.inputColumns ? { [MODEL_METADATA_KEYS.inputColumns]: JSON.stringify(meta.inputColumns) } : {}),
  };
}

/** Null when they agree; else why not: the columns must encode to exactly the features the preprocessing scales. */
export function inputColumnsMismatch(inputColumns: readonly InputColumn[], preprocessing: Preprocessing): string | null {
  const encoded = encodedInputWidth(inputColumns);
  const width = preprocessingWidth(preprocessing);
  return encoded === width ? null : `The input columns encode to ${encoded} features but the preprocessing was fitted on ${width}`;
}

/** Reads the entries back; null when a file carries none (written before preprocessing travelled). */
export function readModelMetadata(entries: Readonly<Record<string, string>>): ModelMetadata | null {
  const preprocessing = entries[MODEL_METADATA_KEYS.preprocessing];
  if (preprocessing === undefined) return null;
  const meta = {
    preprocessing: PreprocessingSchema.parse(JSON.parse(preprocessing)),
    classNames: ClassNamesSchema.parse(JSON.parse(entries[MODEL_METADATA_KEYS.classNames] ?? '[]')),
  };
  const columns = entries[MODEL_METADATA_KEYS.inputColumns];
  if (columns === undefined) return meta;
  const inputColumns = InputColumnsSchema.parse(JSON.parse(columns));
  const mismatch = inputColumnsMismatch(inputColumns, meta.preprocessing);
  if (mismatch) throw new Error(mismatch);
  return { ...meta, inputColumns };
}
