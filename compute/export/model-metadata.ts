import { z } from 'zod';
import { PreprocessingSchema, type Preprocessing } from '../data/preprocessing';

/**
 * What a model needs besides its weights to be used on raw rows: the fitted preprocessing and the
 * class names. Exports record it under these string keys (ONNX metadata_props, safetensors
 * __metadata__), as JSON, so any reader can rebuild the pipeline.
 */
export interface ModelMetadata {
  readonly preprocessing: Preprocessing;
  /** One per class index; empty for regression. */
  readonly classNames: readonly string[];
}

export const MODEL_METADATA_KEYS = { preprocessing: 'preprocessing', classNames: 'class_names' } as const;

const ClassNamesSchema = z.array(z.string().max(200)).max(100_000);

export function modelMetadataEntries(meta: ModelMetadata): Record<string, string> {
  return { [MODEL_METADATA_KEYS.preprocessing]: JSON.stringify(meta.preprocessing), [MODEL_METADATA_KEYS.classNames]: JSON.stringify(meta.classNames) };
}

/** Reads the entries back; null when a file carries none (written before preprocessing travelled). */
export function readModelMetadata(entries: Readonly<Record<string, string>>): ModelMetadata | null {
  const preprocessing = entries[MODEL_METADATA_KEYS.preprocessing];
  if (preprocessing === undefined) return null;
  return {
    preprocessing: PreprocessingSchema.parse(JSON.parse(preprocessing)),
    classNames: ClassNamesSchema.parse(JSON.parse(entries[MODEL_METADATA_KEYS.classNames] ?? '[]')),
  };
}
