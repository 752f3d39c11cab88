import type { Db, ObjectId } from 'mongodb';
import type { InputColumn } from '../../compute/data/input-columns';
import type { Preprocessing } from '../../compute/data/preprocessing';
import type { BatchPoint, EpochPoint } from './schema';

export interface RunDoc {
  _id: ObjectId;
  modelId: ObjectId;
  userId: ObjectId;
  clientRunId: string;
  name: string;
  config: Record<string, unknown>;
  dataset: string;
  /** Absent on runs saved before these were recorded. */
  datasetId?: string | null;
  datasetSha256?: string | null;
  graphHash?: string | null;
  device: string;
  status: 'completed' | 'stopped';
  metrics: { epochs: EpochPoint[]; batches: BatchPoint[] };
  finalAccuracy: number | null;
  finalLoss: number | null;
  testAccuracy?: number | null;
  testLoss?: number | null;
  steps: number;
  wallTimeMs: number;
  /** Absent on runs saved before preprocessing travelled with the model. */
  preprocessing?: Preprocessing | null;
  classNames?: string[];
  /** Absent on runs saved before input columns travelled, and on runs whose features are the raw values. */
  inputColumns?: InputColumn[] | null;
  /** The .safetensors file in the GridFS bucket 'artifacts'. */
  weights: { fileId: ObjectId; sha256: string; bytes: number };
  /**
   * The run's training checkpoint (weights + optimizer state + step, compute/export's checkpoint
   * format) as a content-addressed blob (server/blobs, by sha256), where a network job can start
   * from it. Absent on runs saved without one (older runs, the CPU trainer).
   */
  checkpoint?: RunCheckpoint | null;
  createdAt: Date;
}

export interface RunCheckpoint {
  sha256: string;
  bytes: number;
  /** Optimizer steps taken (the checkpoint's optimizer.step). */
  step: number;
  /** The optimizer the slots belong to ('adam', 'sgd', …): only a matching one resumes. */
  optimizer: string;
}

export const ARTIFACTS_BUCKET = 'artifacts';

export function runsCollection(db: Db) {
  return db.collection<RunDoc>('runs');
}

/** The runs indexes; server/db/indexes.ts creates them at start-up with the rest. */
export async function ensureRunIndexes(db: Db): Promise<void> {
  await Promise.all([
    runsCollection(db).createIndex({ modelId: 1, createdAt: -1 }, { name: 'model_created' }),
    // runs.list pages newest first by _id (newest-first-page.ts).
    runsCollection(db).createIndex({ modelId: 1, _id: -1 }, { name: 'model_newest' }),
    // The dashboard's recent runs: a person's own saves, newest first.
    runsCollection(db).createIndex({ userId: 1, _id: -1 }, { name: 'user_newest' }),
    // The idempotency key: a retried save finds the first one instead of storing a twin.
    runsCollection(db).createIndex({ modelId: 1, clientRunId: 1 }, { unique: true, name: 'model_client_run' }),
  ]);
}
