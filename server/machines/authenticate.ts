import type { Db, ObjectId } from 'mongodb';
import { AppError } from '../errors/app-error';
import { machinesCollection } from './collections';
import { looksLikeMachineCredential, sha256Hex } from './credential';

export interface MachineCaller {
  id: ObjectId;
  ownerId: ObjectId;
}

/**
 * Resolves a presented machine credential to its machine: one equality read on the unique
 * credentialHash index. A removed machine's credential is told apart from an unknown one, so the
 * runner can say why it stops.
 */
export async function authenticateMachine(db: Db, credential: string): Promise<MachineCaller> {
  const invalid = new AppError('UNAUTHORIZED', 'INVALID_MACHINE_CREDENTIAL', 'The machine credential is not valid. Register the machine again.');
  if (!looksLikeMachineCredential(credential)) throw invalid;
  const doc = await machinesCollection(db).findOne({ credentialHash: sha256Hex(credential) }, { projection: { _id: 1, ownerId: 1, removedAt: 1 } });
  if (!doc) throw invalid;
  if (doc.removedAt) throw new AppError('UNAUTHORIZED', 'MACHINE_CREDENTIAL_REVOKED', 'This machine was removed by its owner, so its credential no longer works.');
  return { id: doc._id, ownerId: doc.ownerId };
}
