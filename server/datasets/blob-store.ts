import { createHash } from 'node:crypto';
import { GridFSBucket, type Db, type GridFSBucketReadStream, type ObjectId } from 'mongodb';
import type { DatasetFileRef } from '../db/collections';
import { deleteGridFsFile } from '../db/gridfs-delete';

/** Dataset files live in GridFS (FerretDB and MongoDB both store it as two ordinary collections). */
export const DATASETS_BUCKET = 'datasets';

function bucket(db: Db): GridFSBucket {
  return new GridFSBucket(db, { bucketName: DATASETS_BUCKET });
}

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/** Writes one file; a failed write removes the chunks it had already stored. */
export async function putDatasetFile(db: Db, filename: string, bytes: Uint8Array, metadata: Record<string, unknown>): Promise<DatasetFileRef> {
  const sha256 = sha256Hex(bytes);
  const upload = bucket(db).openUploadStream(filename, { metadata: { ...metadata, sha256 } });
  try {
    await new Promise<void>((resolve, reject) => {
      upload.once('error', reject);
      upload.once('finish', () => resolve());
      upload.end(Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    });
  } catch (error) {
    await deleteDatasetFile(db, upload.id);
    throw error;
  }
  return { fileId: upload.id, filename, bytes: bytes.byteLength, sha256 };
}

export function openDatasetFile(db: Db, fileId: ObjectId): GridFSBucketReadStream {
  return bucket(db).openDownloadStream(fileId);
}

export async function readDatasetFile(db: Db, fileId: ObjectId): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of openDatasetFile(db, fileId)) chunks.push(chunk as Buffer);
  return new Uint8Array(Buffer.concat(chunks));
}

/** Removes a file and its chunks; a file that is already gone is not an error (clean-up is retried). */
export async function deleteDatasetFile(db: Db, fileId: ObjectId): Promise<void> {
  await deleteGridFsFile(db, DATASETS_BUCKET, fileId);
}
