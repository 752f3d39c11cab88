import { createHash } from 'node:crypto';
import { GridFSBucket, type Db, type ObjectId } from 'mongodb';
import { deleteGridFsFile } from '../db/gridfs-delete';
import { ARTIFACTS_BUCKET } from './collection';

export interface StoredArtifact {
  fileId: ObjectId;
  sha256: string;
  bytes: number;
}

function bucket(db: Db): GridFSBucket {
  return new GridFSBucket(db, { bucketName: ARTIFACTS_BUCKET });
}

/** Writes bytes to GridFS with their SHA-256 in the file metadata (and returned, for the run record). */
export async function putArtifact(db: Db, filename: string, data: Uint8Array, metadata: Record<string, unknown>): Promise<StoredArtifact> {
  const sha256 = createHash('sha256').update(data).digest('hex');
  const upload = bucket(db).openUploadStream(filename, { metadata: { ...metadata, sha256, contentType: 'application/octet-stream' } });
  await new Promise<void>((resolve, reject) => {
    upload.once('error', reject);
    upload.once('finish', () => resolve());
    upload.end(Buffer.from(data.buffer, data.byteOffset, data.byteLength));
  });
  return { fileId: upload.id, sha256, bytes: data.byteLength };
}

/** Best effort: what a failed delete leaves, the orphan sweeper removes. */
export async function deleteArtifact(db: Db, fileId: ObjectId): Promise<void> {
  await deleteGridFsFile(db, ARTIFACTS_BUCKET, fileId).catch(() => undefined);
}

/** Reads a whole artifact and checks it against the recorded hash, so corruption is never served. */
export async function readArtifact(db: Db, fileId: ObjectId, sha256: string): Promise<Uint8Array> {
  const chunks: Buffer[] = [];
  for await (const chunk of bucket(db).openDownloadStream(fileId)) chunks.push(chunk as Buffer);
  const data = Buffer.concat(chunks);
  const actual = createHash('sha256').update(data).digest('hex');
  if (actual !== sha256) throw new Error(`Artifact ${fileId.toHexString()} does not match its SHA-256 (${actual} != ${sha256})`);
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}
