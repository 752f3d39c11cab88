import { readFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { makeBlobs, makeSpirals, type ClassificationDataset } from '../../compute/data';
import { DEFAULT_PREPROCESSING, type PreprocessingKind } from '../../compute/data/preprocessing';
import type { DatasetColumnStats } from '../db/collections';
import { sha256Hex } from './blob-store';
import { inspectCsv } from './inspect-csv';
import { DEFAULT_VALIDATION_SPLIT } from './limits';
import { tableView } from './table-view';

/**
 * Synthetic sets are generated from a seed, so the tab makes them itself (compute/data) and nothing
 * is stored; the options here are the ones the trainer must use to get the same data. File sets
 * (scikit-learn's digits and iris, see builtin-data/README.md) ship gzip-compressed with the
 * product and reach the tab as CSV through GET /api/datasets/:id, read by the normal CSV reader.
 */
export const BUILTIN_DATASETS = [
  {
    id: 'builtin:spirals',
    name: 'Spirals',
    description: 'Three interleaved 2-D spirals, 100 points each: needs a non-linear model.',
    source: 'generated' as const,
    generator: 'spirals' as const,
    options: { numClasses: 3, pointsPerClass: 100, noise: 0.2, seed: 1 },
  },
  {
    id: 'builtin:blobs',
    name: 'Blobs',
    description: 'Three Gaussian clusters in 2-D, 100 points each: the easy sanity check.',
    source: 'generated' as const,
    generator: 'blobs' as const,
    options: { numClasses: 3, pointsPerClass: 100, numFeatures: 2, seed: 1 },
  },
  {
    id: 'builtin:digits',
    name: 'Digits (8x8)',
    description: "scikit-learn's handwritten digits: 1,797 images of 8x8 grey levels (0-16), 10 classes.",
    source: 'file' as const,
    file: 'digits.csv.gz',
  },
  {
    id: 'builtin:iris',
    name: 'Iris',
    description: "Fisher's iris: 150 flowers, 4 measurements in cm, 3 species.",
    source: 'file' as const,
    file: 'iris.csv.gz',
  },
];

export type BuiltinDataset = (typeof BUILTIN_DATASETS)[number];
type GeneratedBuiltin = Extract<BuiltinDataset, { source: 'generated' }>;
type FileBuiltin = Extract<BuiltinDataset, { source: 'file' }>;

export function findBuiltin(id: string): BuiltinDataset | undefined {
  return BUILTIN_DATASETS.find((b) => b.id === id);
}

export function generateBuiltin(builtin: GeneratedBuiltin): ClassificationDataset {
  return builtin.generator === 'spirals' ? makeSpirals(builtin.options) : makeBlobs(builtin.options);
}

/** Relative to the project root, where the server runs; the files are part of the source tree. */
const DATA_DIR = path.join('server', 'datasets', 'builtin-data');
const csvCache = new Map<string, Uint8Array>();

const shaCache = new Map<string, string>();

/** The SHA-256 of a file built-in's CSV (downloads' ETag, and what saved runs record), once per process. */
export function builtinSha256(builtin: FileBuiltin): string {
  let sha = shaCache.get(builtin.id);
  if (!sha) shaCache.set(builtin.id, (sha = sha256Hex(builtinCsv(builtin))));
  return sha;
}

/** The CSV bytes of a built-in that ships as a file, decompressed once per process. */
export function builtinCsv(builtin: FileBuiltin): Uint8Array {
  const cached = csvCache.get(builtin.id);
  if (cached) return cached;
  const bytes = new Uint8Array(gunzipSync(readFileSync(path.join(process.cwd(), DATA_DIR, builtin.file))));
  csvCache.set(builtin.id, bytes);
  return bytes;
}

export interface BuiltinSummary {
  id: string;
  name: string;
  description: string;
  /** 'file': the tab downloads it as CSV; 'generated': the tab makes it from the seed. */
  source: 'generated' | 'file';
  rows: number;
  columns: number;
  columnNames: string[];
  featureShape: number[];
  labelColumn: number;
  numClasses: number;
  classNames: string[];
  validationSplit: number;
  /** Built-ins are standardised, like every dataset that has not chosen otherwise. */
  preprocessing: PreprocessingKind;
  preview: { rows: (number | string)[][]; stats: DatasetColumnStats[] };
}

const cache = new Map<string, BuiltinSummary>();

/** Computed once per process: the data never changes. */
export function builtinSummary(builtin: BuiltinDataset): BuiltinSummary {
  const cached = cache.get(builtin.id);
  if (cached) return cached;
  const summary = builtin.source === 'generated' ? generatedSummary(builtin) : fileSummary(builtin);
  cache.set(builtin.id, summary);
  return summary;
}

function generatedSummary(builtin: GeneratedBuiltin): BuiltinSummary {
  const dataset = generateBuiltin(builtin);
  const columnNames = ['x', 'y', 'class'];
  const view = tableView(dataset, 2, columnNames);
  return {
    id: builtin.id,
    name: builtin.name,
    description: builtin.description,
    source: 'generated',
    rows: dataset.size,
    columns: columnNames.length,
    columnNames,
    featureShape: [...dataset.featureShape],
    labelColumn: 2,
    numClasses: dataset.numClasses,
    classNames: [...dataset.classNames],
    validationSplit: DEFAULT_VALIDATION_SPLIT,
    preprocessing: DEFAULT_PREPROCESSING,
    preview: view.preview,
  };
}

/** Read exactly as an upload of the same file would be (label in the last column). */
function fileSummary(builtin: FileBuiltin): BuiltinSummary {
  const inspected = inspectCsv(builtinCsv(builtin));
  return {
    id: builtin.id,
    name: builtin.name,
    description: builtin.description,
    source: 'file',
    rows: inspected.rows,
    columns: inspected.columnNames.length,
    columnNames: inspected.columnNames,
    featureShape: inspected.featureShape,
    labelColumn: inspected.labelColumn ?? inspected.columnNames.length - 1,
    numClasses: inspected.numClasses ?? 0,
    classNames: inspected.classNames,
    validationSplit: DEFAULT_VALIDATION_SPLIT,
    preprocessing: DEFAULT_PREPROCESSING,
    preview: inspected.preview,
  };
}
