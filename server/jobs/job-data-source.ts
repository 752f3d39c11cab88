import { ObjectId, type Db } from 'mongodb';
import type { PreprocessingKind } from '../../compute/data/preprocessing';
import type { JobDataSource } from '../../compute/train/job-data';
import { collections, type DatasetDoc } from '../db/collections';
import { requireReadableDataset } from '../datasets/access';
import { readDatasetFile, sha256Hex } from '../datasets/blob-store';
import { builtinCsv, builtinSha256, builtinSummary, findBuiltin } from '../datasets/builtins';
import { csvReadOptions, readingOf } from '../datasets/reading';
import { scalingOf } from '../datasets/scaling';
import { AppError } from '../errors/app-error';

export interface ResolvedJobData {
  source: JobDataSource;
  validationFraction: number;
  preprocessing: PreprocessingKind;
  /** The CSV's bytes (null for generated data). */
  bytes: Uint8Array | null;
}

/**
 * A job's data as the training tab would read it: generated built-ins from their seed, file
 * built-ins and stored CSV datasets as bytes named by their sha256 (with the stored reading and
 * label column). IDX datasets are refused until the runner can read them.
 */
export async function resolveJobData(db: Db, userId: ObjectId, datasetId: string): Promise<ResolvedJobData> {
  const builtin = findBuiltin(datasetId);
  if (builtin) {
    const summary = builtinSummary(builtin);
    const base = { validationFraction: summary.validationSplit, preprocessing: summary.preprocessing };
    if (builtin.source === 'generated') return { ...base, source: { kind: 'synthetic', name: builtin.generator, seed: builtin.options.seed }, bytes: null };
    const bytes = builtinCsv(builtin);
    return { ...base, source: { kind: 'csv', label: builtin.name, sha256: builtinSha256(builtin), bytes: bytes.byteLength, labelColumn: summary.labelColumn }, bytes };
  }
  const dataset = await requireReadableDataset(db, datasetId, userId);
  if (dataset.kind !== 'csv') {
    throw new AppError('BAD_REQUEST', 'DATASET_KIND_UNSUPPORTED', `${dataset.name} is an IDX dataset; network jobs train on CSV datasets and the built-ins for now.`, 'datasetId');
  }
  const file = dataset.files.data;
  return {
    validationFraction: dataset.validationSplit,
    preprocessing: scalingOf(dataset),
    source: { kind: 'csv', label: dataset.name, sha256: file.sha256, bytes: file.bytes, labelColumn: dataset.labelColumn, reading: csvReadOptions(readingOf(dataset)) },
    bytes: await readDatasetFile(db, file.fileId),
  };
}

/** Where a job's CSV bytes are served from: a built-in shipped with the product, or a stored dataset's file. */
export type JobCsvOrigin = { kind: 'builtin'; bytes: Uint8Array } | { kind: 'stored'; dataset: DatasetDoc };

/** The origin of the job's CSV named by sha256 (its datasetId, checked against the hash), or null when it no longer exists. */
export async function jobCsvOrigin(db: Db, datasetId: string | null, sha256: string): Promise<JobCsvOrigin | null> {
  if (!datasetId) return null;
  const builtin = findBuiltin(datasetId);
  if (builtin) return builtin.source === 'file' && builtinSha256(builtin) === sha256 ? { kind: 'builtin', bytes: builtinCsv(builtin) } : null;
  const hex = datasetId.startsWith('ds:') ? datasetId.slice(3) : datasetId;
  if (!/^[0-9a-f]{24}$/i.test(hex)) return null;
  const dataset = await collections(db).datasets.findOne({ _id: new ObjectId(hex) });
  return dataset && dataset.files.data.sha256 === sha256 ? { kind: 'stored', dataset } : null;
}

/** The job's CSV bytes, checked against the hash frozen in its spec; null when the dataset is gone. */
export async function readJobCsv(db: Db, datasetId: string | null, sha256: string): Promise<Uint8Array | null> {
  const origin = await jobCsvOrigin(db, datasetId, sha256);
  if (!origin) return null;
  const bytes = origin.kind === 'builtin' ? origin.bytes : await readDatasetFile(db, origin.dataset.files.data.fileId);
  if (sha256Hex(bytes) !== sha256) throw new Error(`The job's dataset ${datasetId} does not match its SHA-256 ${sha256}`);
  return bytes;
}
