import type { Db, ObjectId } from 'mongodb';
import { requireReadableDataset } from '../datasets/access';
import { builtinSha256, findBuiltin } from '../datasets/builtins';
import { AppError } from '../errors/app-error';

/**
 * The dataset a run says it trained on, as the server knows it: a stored or built-in dataset's
 * sha256 comes from the server's own record, never from the browser, and a browser hash that
 * disagrees means the tab trained on other bytes, so the run is refused. A file from the person's
 * computer (no id) has only the browser's hash to go on.
 */
export async function resolveRunDataset(db: Db, userId: ObjectId, datasetId: string | null | undefined, clientSha256: string | null | undefined): Promise<{ datasetId: string | null; datasetSha256: string | null }> {
  if (!datasetId) return { datasetId: null, datasetSha256: clientSha256 ?? null };
  const known = await knownSha256(db, userId, datasetId);
  if (known !== null && clientSha256 && clientSha256 !== known) {
    throw new AppError('BAD_REQUEST', 'DATASET_SHA_MISMATCH', `The run was trained on data whose SHA-256 (${clientSha256.slice(0, 12)}…) differs from dataset ${datasetId} (${known.slice(0, 12)}…); reload the dataset and train again.`, 'datasetSha256');
  }
  return { datasetId, datasetSha256: known };
}

async function knownSha256(db: Db, userId: ObjectId, datasetId: string): Promise<string | null> {
  if (datasetId.startsWith('builtin:')) {
    const builtin = findBuiltin(datasetId);
    if (!builtin) throw new AppError('NOT_FOUND', 'DATASET_NOT_FOUND', `There is no built-in dataset ${datasetId}.`, 'datasetId');
    // Generated built-ins are made in the tab from a seed: there are no bytes to hash.
    if (builtin.source !== 'file') return null;
    return builtinSha256(builtin);
  }
  const id = datasetId.startsWith('ds:') ? datasetId.slice(3) : datasetId;
  return (await requireReadableDataset(db, id, userId)).sha256;
}
