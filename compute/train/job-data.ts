import type { CsvOptions } from '../data';
import type { PreprocessingKind } from '../data/preprocessing';
import { prepareData, type PreparedData, type SyntheticName } from './prepare-data';

/**
 * The data of a network job, frozen at submit: where the rows come from (a generated set, or CSV
 * bytes named by their sha256, which the runner downloads and checks) and how they are split and
 * scaled. The runner trains on prepareJobData's train split; the platform verifies checkpoints on
 * its validation split, made by the same function from the same bytes, so both see the same rows.
 */
export type JobDataSource =
  | { readonly kind: 'synthetic'; readonly name: SyntheticName; readonly seed: number }
  | {
      readonly kind: 'csv';
      readonly label: string;
      readonly sha256: string;
      readonly bytes: number;
      readonly labelColumn: number | null;
      readonly reading?: Pick<CsvOptions, 'missing' | 'categoricalEncoding' | 'columnTypes' | 'header'>;
    };

export interface JobDataSpec {
  readonly source: JobDataSource;
  readonly validationFraction: number;
  readonly testFraction: number;
  /** Seeds the split (the training seed, as in the tab). */
  readonly seed: number;
  readonly preprocessing: PreprocessingKind;
}

/** The job's splits, scaled as the tab would scale them; `bytes` are the CSV's (null for generated data). */
export function prepareJobData(spec: JobDataSpec, bytes: Uint8Array | null): PreparedData {
  const { source } = spec;
  if (source.kind === 'synthetic') {
    return prepareData(source, spec.validationFraction, spec.testFraction, spec.seed, spec.preprocessing);
  }
  if (!bytes) throw new Error(`The job's CSV (${source.sha256.slice(0, 12)}…) was not given`);
  const buffer = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
  return prepareData(
    { kind: 'csv', label: source.label, bytes: buffer, labelColumn: source.labelColumn, ...(source.reading ? { reading: source.reading } : {}) },
    spec.validationFraction,
    spec.testFraction,
    spec.seed,
    spec.preprocessing,
  );
}
