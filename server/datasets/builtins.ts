import { makeBlobs, makeSpirals, type ClassificationDataset } from '../../compute/data';
import type { DatasetColumnStats } from '../db/collections';
import { DEFAULT_VALIDATION_SPLIT } from './limits';
import { tableView } from './table-view';

/**
 * Synthetic sets generated from a seed, so the tab makes them itself (compute/data) and nothing is
 * stored; the options here are the ones the trainer must use to get the same data.
 */
export const BUILTIN_DATASETS = [
  {
    id: 'builtin:spirals',
    name: 'Spirals',
    description: 'Three interleaved 2-D spirals, 100 points each: needs a non-linear model.',
    generator: 'spirals' as const,
    options: { numClasses: 3, pointsPerClass: 100, noise: 0.2, seed: 1 },
  },
  {
    id: 'builtin:blobs',
    name: 'Blobs',
    description: 'Three Gaussian clusters in 2-D, 100 points each: the easy sanity check.',
    generator: 'blobs' as const,
    options: { numClasses: 3, pointsPerClass: 100, numFeatures: 2, seed: 1 },
  },
];

export type BuiltinDataset = (typeof BUILTIN_DATASETS)[number];

export function findBuiltin(id: string): BuiltinDataset | undefined {
  return BUILTIN_DATASETS.find((b) => b.id === id);
}

export function generateBuiltin(builtin: BuiltinDataset): ClassificationDataset {
  return builtin.generator === 'spirals' ? makeSpirals(builtin.options) : makeBlobs(builtin.options);
}

export interface BuiltinSummary {
  id: string;
  name: string;
  description: string;
  rows: number;
  columns: number;
  columnNames: string[];
  featureShape: number[];
  labelColumn: number;
  numClasses: number;
  validationSplit: number;
  preview: { rows: (number | string)[][]; stats: DatasetColumnStats[] };
}

const cache = new Map<string, BuiltinSummary>();

/** Computed once per process: the data never changes. */
export function builtinSummary(builtin: BuiltinDataset): BuiltinSummary {
  const cached = cache.get(builtin.id);
  if (cached) return cached;
  const dataset = generateBuiltin(builtin);
  const columnNames = ['x', 'y', 'class'];
  const view = tableView(dataset, 2, columnNames);
  const summary: BuiltinSummary = {
    id: builtin.id,
    name: builtin.name,
    description: builtin.description,
    rows: dataset.size,
    columns: columnNames.length,
    columnNames,
    featureShape: [...dataset.featureShape],
    labelColumn: 2,
    numClasses: dataset.numClasses,
    validationSplit: DEFAULT_VALIDATION_SPLIT,
    preview: view.preview,
  };
  cache.set(builtin.id, summary);
  return summary;
}
