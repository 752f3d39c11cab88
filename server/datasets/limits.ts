const DEFAULT_MAX_BYTES = 20 * 1024 * 1024;

/** The largest dataset (all its files together) anyone may upload; DATASET_MAX_BYTES overrides it. */
export function datasetMaxBytes(): number {
  const configured = Number(process.env.DATASET_MAX_BYTES);
  return Number.isInteger(configured) && configured > 0 ? configured : DEFAULT_MAX_BYTES;
}

export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * 1024) return `${(bytes / (1024 * 1024)).toFixed(bytes % (1024 * 1024) === 0 ? 0 : 1)} MiB`;
  if (bytes >= 1024) return `${(bytes / 1024).toFixed(bytes % 1024 === 0 ? 0 : 1)} KiB`;
  return `${bytes} bytes`;
}

/** Fraction of rows held out for validation until the owner picks another. */
export const DEFAULT_VALIDATION_SPLIT = 0.2;

/** Rows shown in a dataset's preview. */
export const PREVIEW_ROWS = 20;

/**
 * The most columns (features plus the label) a dataset may have. 32×32×3 images and their label fit;
 * it also bounds the preview and statistics records (20 rows and one entry per column, about 2 MB).
 */
export const MAX_COLUMNS = 4096;

/** The most cells a CSV may have; mnist_test.csv (10,000 rows × 785 columns, 18 MB) fits. */
export const MAX_CSV_CELLS = 8_000_000;

/**
 * The most distinct values a categorical column may have. More is usually an identifier or a
 * numeric column with typos; with one-hot encoding each category is a feature, and MAX_COLUMNS
 * still bounds the total.
 */
// The tab refuses the same (compute/data/input-columns.ts): one number, so upload and training agree.
export { MAX_INPUT_CATEGORIES as MAX_CATEGORIES } from '../../compute/data/input-columns';

/** The most any one IDX dimension may declare. */
export const MAX_IDX_DIMENSION = 16_777_216;

/** The most values an IDX file may hold; the 60,000 MNIST training images (47,040,000 bytes) fit. */
export const MAX_IDX_VALUES = 50_000_000;

/** The most classes a label column may have (ImageNet has 1,000); names are stored with the dataset. */
export const MAX_CLASSES = 1000;

/** The longest column or class name stored with a dataset. */
export const MAX_NAME_LENGTH = 256;

/**
 * Parsing runs in a worker thread with its own heap, and a parse that needs more is refused, not
 * fatal. Measured: a 20 MB CSV of 5,000,000 distinct 3-digit cells needs between 128 and 256 MB
 * (each cell is a string before it is a number); the cell cap keeps files within this.
 */
export const PARSE_MEMORY_MB = 512;

/** A parse still running after this is stopped and refused (the worker is terminated). */
export const PARSE_TIME_LIMIT_MS = 30_000;

/** Parses at once; more wait their turn, so a burst of uploads cannot take every core and gigabytes. */
export const MAX_PARALLEL_PARSES = 2;

/** Uploads waiting for a parser beyond this are turned away with 429. */
export const MAX_QUEUED_PARSES = 32;
