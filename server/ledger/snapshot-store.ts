import { createHash } from 'node:crypto';
import { GridFSBucket, MongoGridFSChunkError, type Db, type ObjectId } from 'mongodb';
import { decodeState, LedgerError, type LedgerState } from '../../programs';
import { deleteGridFsFile } from '../db/gridfs-delete';
import { LedgerFailure } from './ledger-failure';

/**
 * Snapshots of the ledger view in GridFS: at 100,000 keys the state's text is past MongoDB's 16 MB
 * document limit. GridFS writes the chunks first and the files document last, so a snapshot whose
 * files document exists was stored whole; the hash catches anything changed since.
 */
export const SNAPSHOTS_BUCKET = 'ledgerSnapshots';
export const SNAPSHOTS_KEPT = 2;

interface SnapshotMeta {
  seq: number;
  /** SHA-256 (hex) of the UTF-8 text. */
  hash: string;
}

interface SnapshotFile {
  _id: ObjectId;
  filename: string;
  metadata: SnapshotMeta;
}

const bucket = (db: Db) => new GridFSBucket(db, { bucketName: SNAPSHOTS_BUCKET });
const files = (db: Db) => db.collection<SnapshotFile>(`${SNAPSHOTS_BUCKET}.files`);

export function sha256Text(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** Stores the encoded state at `seq`, then removes all but the newest SNAPSHOTS_KEPT. */
export async function writeSnapshot(db: Db, seq: number, text: string): Promise<void> {
  const metadata: SnapshotMeta = { seq, hash: sha256Text(text) };
  const upload = bucket(db).openUploadStream(`ledger-${seq}.json`, { metadata });
  try {
    await new Promise<void>((resolve, reject) => {
      upload.once('error', reject);
      upload.once('finish', () => resolve());
      upload.end(Buffer.from(text, 'utf8'));
    });
  } catch (error) {
    await deleteGridFsFile(db, SNAPSHOTS_BUCKET, upload.id).catch(() => undefined);
    throw error;
  }
  await pruneSnapshots(db);
}

async function newestFirst(db: Db): Promise<SnapshotFile[]> {
  // A handful of documents: sorting them here is cheaper than asking FerretDB to.
  const all = await files(db).find({}, { projection: { _id: 1, filename: 1, metadata: 1 } }).toArray();
  return all.sort((a, b) => (b.metadata?.seq ?? -1) - (a.metadata?.seq ?? -1));
}

async function pruneSnapshots(db: Db): Promise<void> {
  for (const old of (await newestFirst(db)).slice(SNAPSHOTS_KEPT)) await deleteGridFsFile(db, SNAPSHOTS_BUCKET, old._id);
}

function corrupt(file: SnapshotFile, why: string): LedgerFailure {
  const seq = file.metadata?.seq;
  return new LedgerFailure(
    'LEDGER_SNAPSHOT_CORRUPT',
    `The ledger snapshot at seq ${seq} (GridFS bucket "${SNAPSHOTS_BUCKET}", file ${file.filename}, id ${file._id.toHexString()}) ${why}. ` +
      'The ledger will not start on it. Delete that snapshot (its files and chunks documents) to rebuild from the log and the snapshot before it.',
    seq,
  );
}

/** The newest snapshot, checked against its hash and decoded; null when there is none. */
export async function loadNewestSnapshot(db: Db): Promise<{ seq: number; state: LedgerState } | null> {
  const [file] = await newestFirst(db);
  if (!file) return null;
  if (!Number.isSafeInteger(file.metadata?.seq) || typeof file.metadata?.hash !== 'string') throw corrupt(file, 'has no valid seq and hash in its metadata');
  const chunks: Buffer[] = [];
  try {
    for await (const chunk of bucket(db).openDownloadStream(file._id)) chunks.push(chunk as Buffer);
  } catch (error) {
    // Missing or mis-sized chunks are damage; anything else (the database going away) is not.
    if (error instanceof MongoGridFSChunkError) throw corrupt(file, `cannot be read back (${error.message})`);
    throw error;
  }
  const text = Buffer.concat(chunks).toString('utf8');
  const hash = sha256Text(text);
  if (hash !== file.metadata.hash) throw corrupt(file, `does not match its hash (stored ${file.metadata.hash}, computed ${hash})`);
  try {
    return { seq: file.metadata.seq, state: decodeState(text) };
  } catch (error) {
    if (error instanceof LedgerError) throw corrupt(file, `matches its hash but does not decode (${error.message})`);
    throw error;
  }
}
