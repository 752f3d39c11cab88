import { GridFSBucket, type Db, type GridFSBucketReadStream, type ObjectId } from 'mongodb';
import { sha256Hex } from '../datasets/blob-store';
import { deleteGridFsFile } from '../db/gridfs-delete';
import { AppError } from '../errors/app-error';

/**
 * Content-addressed blobs (job checkpoints): a GridFS file in the bucket 'blobs' named by its
 * sha256. The GridFS files document is written after the last chunk, so a blob that can be found is
 * whole. Two uploads of the same bytes racing may both store a file; they hold the same content, so
 * whichever is found first serves. Files are never rewritten in place.
 */
export const BLOBS_BUCKET = 'blobs';

export interface BlobRef {
  fileId: ObjectId;
  sha256: string;
  bytes: number;
}

function bucket(db: Db): GridFSBucket {
  return new GridFSBucket(db, { bucketName: BLOBS_BUCKET });
}

export function blobHashMismatch(told: string, actual: string): AppError {
  return new AppError('BAD_REQUEST', 'BLOB_HASH_MISMATCH', `The bytes hash to ${actual}, not the ${told} they were sent as; nothing was stored.`, 'x-cyxwiz-sha256');
}

/** The stored blob with this hash, or null. One indexed equality read (GridFS indexes filename). */
export async function findBlob(db: Db, sha256: string): Promise<BlobRef | null> {
  const file = await db.collection<{ _id: ObjectId; length: number }>(`${BLOBS_BUCKET}.files`).findOne({ filename: sha256 }, { projection: { _id: 1, length: 1 } });
  return file ? { fileId: file._id, sha256, bytes: file.length } : null;
}

export async function hasBlob(db: Db, sha256: string): Promise<boolean> {
  return (await findBlob(db, sha256)) !== null;
}

/** Stores bytes under the hash they were sent with, after checking it; an existing blob is kept (same content). */
export async function putBlob(db: Db, sha256: string, bytes: Uint8Array, metadata: Record<string, unknown> = {}): Promise<BlobRef> {
  const actual = sha256Hex(bytes);
  if (actual !== sha256) throw blobHashMismatch(sha256, actual);
  const existing = await findBlob(db, sha256);
  if (existing) return existing;
  const upload = bucket(db).openUploadStream(sha256, { metadata: { ...metadata, sha256 } });
  try {
    await new Promise<void>((resolve, reject) => {
      upload.once('error', reject);
      upload.once('finish', () => resolve());
      upload.end(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    });
  } catch (error) {
    await deleteGridFsFile(db, BLOBS_BUCKET, upload.id).catch(() => undefined);
    throw error;
  }
  return { fileId: upload.id, sha256, bytes: bytes.byteLength };
}

export function openBlob(db: Db, blob: BlobRef): GridFSBucketReadStream {
  return bucket(db).openDownloadStream(blob.fileId);
}

/** The whole blob, checked against its hash (corruption is never handed on); null when there is none. */
export async function getBlob(db: Db, sha256: string): Promise<Uint8Array | null> {
  const blob = await findBlob(db, sha256);
  if (!blob) return null;
  const chunks: Buffer[] = [];
  for await (const chunk of openBlob(db, blob)) chunks.push(chunk as Buffer);
  const data = Buffer.concat(chunks);
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  const actual = sha256Hex(bytes);
  if (actual !== sha256) throw new Error(`Blob ${blob.fileId.toHexString()} does not match its SHA-256 (${actual} != ${sha256})`);
  return bytes;
}
