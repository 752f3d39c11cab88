import { ObjectId, type Db } from 'mongodb';
import { deleteGridFsFile } from '../db/gridfs-delete';
import { ARTIFACTS_BUCKET } from '../runs/collection';
import { DATASETS_BUCKET } from './blob-store';
import { PREVIEWS_COLLECTION } from './previews';

/** Leftovers younger than this may belong to an upload still under way, and are kept. */
export const ORPHAN_GRACE_MS = 60 * 60_000;

/** How often scripts/start.ts sweeps (it also sweeps once at start-up). */
export const ORPHAN_SWEEP_INTERVAL_MS = 10 * 60_000;

/** Ids checked per round trip. */
const BATCH = 500;

/**
 * The GridFS buckets whose files belong to a record: the file's metadata names the record's _id,
 * and the record is written after the file (uploads, saved runs), so a file whose record is
 * missing after the grace period will never have one. Files naming no record are left alone.
 */
const BUCKETS = [
  { bucket: DATASETS_BUCKET, ownerKey: 'datasetId', records: 'datasets' },
  { bucket: ARTIFACTS_BUCKET, ownerKey: 'runId', records: 'runs' },
] as const;

/** Where the last sweep's windows ended; one document. */
const STATE = { collection: 'sweeps', id: 'orphans' } as const;

export interface SweepOptions {
  /** The time to sweep as of (tests move it forward). */
  now?: Date;
  graceMs?: number;
}

export interface SweepResult {
  /** GridFS files (with their chunks) whose record never landed or is gone. */
  files: number;
  /** GridFS files that had chunks but no files document (an upload that crashed part-way). */
  chunkedFiles: number;
  /** Previews of datasets whose record never landed. */
  previews: number;
}

/**
 * Removes what crashes leave behind: GridFS files whose dataset or run record is missing, chunks
 * that no files document names, and dataset previews without a dataset; all only once older than
 * the grace period. Files documents are small, so every sweep checks all of them. Chunks and
 * previews are large, so each sweep looks only at those created since the last one's window
 * ended (the first sweep of a database looks at all); every query is an equality or a range on an
 * indexed top-level field. Deletes remove chunks before the files document, and a dataset's preview
 * before its files, so a crash while deleting leaves a files document, which the full pass finds.
 */
export async function sweepOrphans(db: Db, options: SweepOptions = {}): Promise<SweepResult> {
  const now = options.now ?? new Date();
  const cutoff = new Date(now.getTime() - (options.graceMs ?? ORPHAN_GRACE_MS));
  const state = db.collection<{ _id: string; through: Date }>(STATE.collection);
  const through = (await state.findOne({ _id: STATE.id }))?.through ?? new Date(0);
  const since = through < cutoff ? through : cutoff;

  const result: SweepResult = { files: 0, chunkedFiles: 0, previews: 0 };
  for (const owner of BUCKETS) {
    result.files += await sweepFiles(db, owner, cutoff);
    result.chunkedFiles += await sweepChunks(db, owner.bucket, since, cutoff);
  }
  result.previews += await sweepPreviews(db, since, cutoff);
  await state.updateOne({ _id: STATE.id }, { $max: { through: cutoff } }, { upsert: true });
  return result;
}

async function sweepFiles(db: Db, owner: (typeof BUCKETS)[number], cutoff: Date): Promise<number> {
  const files = db.collection<{ _id: ObjectId; metadata?: Record<string, unknown> }>(`${owner.bucket}.files`);
  const cursor = files.find({ uploadDate: { $lt: cutoff } }, { projection: { _id: 1, metadata: 1 } }).batchSize(BATCH);
  let removed = 0;
  let batch: { fileId: ObjectId; recordId: ObjectId }[] = [];
  const flush = async () => {
    const present = await existingIds(db, owner.records, batch.map((f) => f.recordId));
    for (const { fileId, recordId } of batch) {
      if (present.has(recordId.toHexString())) continue;
      if (owner.records === 'datasets') await db.collection(PREVIEWS_COLLECTION).deleteOne({ _id: recordId });
      await deleteGridFsFile(db, owner.bucket, fileId);
      removed++;
    }
    batch = [];
  };
  for await (const file of cursor) {
    const recordId = file.metadata?.[owner.ownerKey];
    if (!(recordId instanceof ObjectId)) continue;
    batch.push({ fileId: file._id, recordId });
    if (batch.length >= BATCH) await flush();
  }
  if (batch.length > 0) await flush();
  return removed;
}

/** Chunks whose files_id (an ObjectId, so a creation time) falls in [since, cutoff) and names no file. */
async function sweepChunks(db: Db, bucket: string, since: Date, cutoff: Date): Promise<number> {
  const window = { $gte: ObjectId.createFromTime(Math.floor(since.getTime() / 1000)), $lt: ObjectId.createFromTime(Math.floor(cutoff.getTime() / 1000)) };
  const fileIds = (await db.collection(`${bucket}.chunks`).distinct('files_id', { files_id: window })) as ObjectId[];
  let removed = 0;
  for (let i = 0; i < fileIds.length; i += BATCH) {
    const ids = fileIds.slice(i, i + BATCH);
    const present = await existingIds(db, `${bucket}.files`, ids);
    const missing = ids.filter((id) => !present.has(id.toHexString()));
    if (missing.length === 0) continue;
    await db.collection(`${bucket}.chunks`).deleteMany({ files_id: { $in: missing } });
    removed += missing.length;
  }
  return removed;
}

/** Previews created in [since, cutoff) whose dataset record never landed. */
async function sweepPreviews(db: Db, since: Date, cutoff: Date): Promise<number> {
  const previews = db.collection<{ _id: ObjectId }>(PREVIEWS_COLLECTION);
  const ids = (await previews.find({ createdAt: { $gte: since, $lt: cutoff } }, { projection: { _id: 1 } }).toArray()).map((p) => p._id);
  let removed = 0;
  for (let i = 0; i < ids.length; i += BATCH) {
    const batch = ids.slice(i, i + BATCH);
    const present = await existingIds(db, 'datasets', batch);
    const missing = batch.filter((id) => !present.has(id.toHexString()));
    if (missing.length === 0) continue;
    removed += (await previews.deleteMany({ _id: { $in: missing } })).deletedCount;
  }
  return removed;
}

async function existingIds(db: Db, collection: string, ids: ObjectId[]): Promise<Set<string>> {
  if (ids.length === 0) return new Set();
  const found = await db.collection<{ _id: ObjectId }>(collection).find({ _id: { $in: ids } }, { projection: { _id: 1 } }).toArray();
  return new Set(found.map((d) => d._id.toHexString()));
}
