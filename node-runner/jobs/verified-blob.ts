import { createHash } from 'node:crypto';
import { JobError } from './job-error';

export function sha256Hex(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

/**
 * Downloads a blob of the job and checks it is the one the spec names: the same sha256 (and size,
 * when known). A mismatch is refused before anything trains on it.
 */
export async function fetchVerifiedBlob(download: (sha256: string) => Promise<Uint8Array>, what: string, sha256: string, expectedBytes?: number): Promise<Uint8Array> {
  const bytes = await download(sha256);
  const actual = sha256Hex(bytes);
  if (actual !== sha256) {
    throw new JobError('BLOB_HASH_MISMATCH', `The ${what} downloaded for this job has sha256 ${actual.slice(0, 12)}… (${bytes.byteLength} bytes), not the ${sha256.slice(0, 12)}… its spec names; nothing was trained on it.`);
  }
  if (expectedBytes !== undefined && bytes.byteLength !== expectedBytes) {
    throw new JobError('BLOB_SIZE_MISMATCH', `The ${what} downloaded for this job is ${bytes.byteLength} bytes, not the ${expectedBytes} its spec names.`);
  }
  return bytes;
}
