import { DEFAULT_PREPROCESSING, type PreprocessingKind } from '@/compute/data/preprocessing';
import type { DatasetFacts } from '@/compute/validate';
import { SYNTHETIC_LABELS } from '@/compute/train/prepare-data';
import type { DataSpec } from './protocol';

/** The select's value when no dataset is chosen yet (a model with none attached). */
export const NO_DATASET = '';

/** One entry of the training panel's dataset select, with what the panel needs to check and load it. */
export interface DatasetChoice {
  /** 'builtin:…' for built-ins, 'ds:<id>' for stored datasets. */
  readonly id: string;
  readonly label: string;
  readonly name: string;
  /** generated: made in the tab from a seed; file: a built-in CSV fetched like a stored one. */
  readonly source: 'generated' | 'file' | 'stored';
  readonly featureShape: readonly number[];
  readonly numClasses: number | null;
  readonly labelColumn: number | null;
  readonly validationSplit: number;
  readonly rows: number;
  readonly reading?: Extract<DataSpec, { kind: 'csv' }>['reading'];
  /** The dataset's stored feature scaling, which the panel starts from. */
  readonly preprocessing: PreprocessingKind;
  /** Why it cannot be chosen, when it cannot. */
  readonly disabled?: string | undefined;
}

interface BuiltinListing {
  id: string;
  name: string;
  source: 'generated' | 'file';
  featureShape: number[];
  numClasses: number;
  labelColumn: number;
  validationSplit: number;
  rows: number;
  /** Absent from listings made before datasets stored it: those are standardised. */
  preprocessing?: PreprocessingKind;
}

interface StoredListing {
  id: string;
  name: string;
  kind: string;
  featureShape: number[];
  numClasses: number | null;
  labelColumn: number | null;
  validationSplit: number;
  rows: number;
  /** Absent from listings made before datasets stored it: those are standardised. */
  preprocessing?: PreprocessingKind;
  reading?: DatasetChoice['reading'];
}

const count = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

export function builtinChoice(b: BuiltinListing): DatasetChoice {
  const synthetic = b.id === 'builtin:spirals' ? SYNTHETIC_LABELS.spirals : b.id === 'builtin:blobs' ? SYNTHETIC_LABELS.blobs : null;
  const features = b.featureShape.reduce((a, c) => a * c, 1);
  return {
    id: b.id,
    label: synthetic ?? `${b.name} · built-in, ${count(features, 'feature', 'features')}, ${count(b.numClasses, 'class', 'classes')}`,
    name: b.name,
    source: b.source,
    featureShape: b.featureShape,
    numClasses: b.numClasses,
    labelColumn: b.labelColumn,
    validationSplit: b.validationSplit,
    rows: b.rows,
    preprocessing: b.preprocessing ?? DEFAULT_PREPROCESSING,
  };
}

export function storedChoice(d: StoredListing): DatasetChoice {
  return {
    id: `ds:${d.id}`,
    label: `${d.name} (${d.rows} rows)`,
    name: d.name,
    source: 'stored',
    featureShape: d.featureShape,
    numClasses: d.numClasses,
    labelColumn: d.labelColumn,
    validationSplit: d.validationSplit,
    rows: d.rows,
    preprocessing: d.preprocessing ?? DEFAULT_PREPROCESSING,
    ...(d.reading ? { reading: d.reading } : {}),
    disabled: d.kind !== 'csv' ? 'IDX datasets train on the network for now' : undefined,
  };
}

/** The select value for the dataset a model is attached to (models store built-in ids as they are, stored ones bare). */
export function choiceIdFor(modelDatasetId: string | null | undefined): string {
  if (!modelDatasetId) return NO_DATASET;
  return modelDatasetId.startsWith('builtin:') ? modelDatasetId : `ds:${modelDatasetId}`;
}

/** The stored dataset's id for GET /api/datasets/:id; built-ins are served under their own id. */
export function downloadIdOf(choice: DatasetChoice): string {
  return choice.source === 'stored' ? choice.id.slice(3) : choice.id;
}

/** What validation checks the model against; null when the choice says nothing about its shape. */
export function factsOf(choice: DatasetChoice | undefined): DatasetFacts | null {
  if (!choice || choice.featureShape.length === 0) return null;
  return { name: choice.name, featureShape: choice.featureShape, numClasses: choice.numClasses };
}
