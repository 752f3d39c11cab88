import { Binary, ObjectId, type Db } from 'mongodb';
import { beforeAll, describe, expect, it } from 'vitest';
import { signUp } from '../auth/users';
import { putArtifact } from '../runs/artifacts';
import { useTestDatabase } from '../testing/test-db';
import { putDatasetFile, readDatasetFile } from './blob-store';
import { putPreview } from './previews';
import { ORPHAN_GRACE_MS, sweepOrphans } from './sweep-orphans';
import { uploadDataset } from './upload';

let db: Db;
let ownerId: ObjectId;

const HOUR = 60 * 60_000;
const text = (s: string) => new TextEncoder().encode(s);
const emptyPreview = { rows: [], stats: [] };

/** What a crash part-way through an upload leaves: chunks, but no files document (GridFS writes it last). */
async function strandedChunks(bucket: string, startedAt: Date): Promise<ObjectId> {
  const filesId = ObjectId.createFromTime(Math.floor(startedAt.getTime() / 1000));
  await db.collection(`${bucket}.chunks`).insertMany([0, 1].map((n) => ({ files_id: filesId, n, data: new Binary(new Uint8Array(1024).fill(n)) })));
  return filesId;
}

const chunksOf = (bucket: string, filesId: ObjectId) => db.collection(`${bucket}.chunks`).countDocuments({ files_id: filesId });
const fileExists = async (bucket: string, fileId: ObjectId) => (await db.collection(`${bucket}.files`).countDocuments({ _id: fileId })) === 1;
const previewExists = async (id: ObjectId) => (await db.collection('datasetPreviews').countDocuments({ _id: id })) === 1;

beforeAll(async () => {
  ({ db } = await useTestDatabase('sweep_orphans'));
  ownerId = new ObjectId((await signUp(db, { email: 'sweep@example.com', username: 'sweep', password: 'sweep-password-1' })).id);
});

describe('sweepOrphans', () => {
  const now = new Date();
  const csv = text('a,b,label\n1,2,0\n3,4,1\n');
  let landed: Awaited<ReturnType<typeof uploadDataset>>;
  let oldChunks: ObjectId;
  let oldArtifactChunks: ObjectId;
  let freshChunks: ObjectId;
  let orphanFile: ObjectId;
  let orphanDatasetId: ObjectId;
  let orphanPreviewId: ObjectId;
  let orphanArtifact: ObjectId;
  let landedArtifact: ObjectId;

  it('removes chunks older than the grace period that no files document names, and keeps everything younger', async () => {
    landed = await uploadDataset(db, ownerId, { data: { filename: 'landed.csv', bytes: csv } });
    oldChunks = await strandedChunks('datasets', new Date(now.getTime() - 2 * HOUR));
    oldArtifactChunks = await strandedChunks('artifacts', new Date(now.getTime() - 2 * HOUR));
    // An upload under way right now: chunks, no files document yet.
    freshChunks = await strandedChunks('datasets', now);
    // Records that never landed: a stored file, a preview, a run's weights.
    orphanDatasetId = new ObjectId();
    orphanFile = (await putDatasetFile(db, 'crashed.csv', csv, { datasetId: orphanDatasetId, ownerId, role: 'data' })).fileId;
    orphanPreviewId = new ObjectId();
    await putPreview(db, orphanPreviewId, ownerId, emptyPreview);
    orphanArtifact = (await putArtifact(db, 'lost.safetensors', text('weights'), { kind: 'weights', runId: new ObjectId() })).fileId;
    const runId = new ObjectId();
    landedArtifact = (await putArtifact(db, 'kept.safetensors', text('weights'), { kind: 'weights', runId })).fileId;
    await db.collection('runs').insertOne({ _id: runId, name: 'a saved run' });

    expect(await sweepOrphans(db, { now })).toEqual({ files: 0, chunkedFiles: 2, previews: 0 });
    expect(await chunksOf('datasets', oldChunks)).toBe(0);
    expect(await chunksOf('artifacts', oldArtifactChunks)).toBe(0);
    expect(await chunksOf('datasets', freshChunks)).toBe(2);
    expect(await fileExists('datasets', orphanFile)).toBe(true);
    expect(await previewExists(orphanPreviewId)).toBe(true);
    expect(await fileExists('artifacts', orphanArtifact)).toBe(true);
  });

  it('once they are older than the grace period, removes files and previews whose record never landed, keeping landed ones', async () => {
    const later = new Date(now.getTime() + ORPHAN_GRACE_MS + HOUR);
    expect(await sweepOrphans(db, { now: later })).toEqual({ files: 2, chunkedFiles: 1, previews: 1 });
    expect(await fileExists('datasets', orphanFile)).toBe(false);
    expect(await chunksOf('datasets', orphanFile)).toBe(0);
    expect(await chunksOf('datasets', freshChunks)).toBe(0);
    expect(await previewExists(orphanPreviewId)).toBe(false);
    expect(await fileExists('artifacts', orphanArtifact)).toBe(false);

    expect(await fileExists('artifacts', landedArtifact)).toBe(true);
    expect(await previewExists(landed._id)).toBe(true);
    expect(Buffer.from(await readDatasetFile(db, landed.files.data.fileId)).equals(Buffer.from(csv))).toBe(true);
    // Nothing left to do: a second sweep at the same time removes nothing.
    expect(await sweepOrphans(db, { now: later })).toEqual({ files: 0, chunkedFiles: 0, previews: 0 });
  });

  it('finishes a delete that crashed after the record went: the files and the preview follow', async () => {
    await db.collection('datasets').deleteOne({ _id: landed._id });
    const muchLater = new Date(now.getTime() + 4 * HOUR);
    expect(await sweepOrphans(db, { now: muchLater })).toEqual({ files: 1, chunkedFiles: 0, previews: 0 });
    expect(await fileExists('datasets', landed.files.data.fileId)).toBe(false);
    expect(await chunksOf('datasets', landed.files.data.fileId)).toBe(0);
    expect(await previewExists(landed._id)).toBe(false);
  });
});
