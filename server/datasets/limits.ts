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
