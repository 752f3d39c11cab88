import type { Db, ObjectId } from 'mongodb';
import { collections, type ModelDoc } from '../db/collections';
import { AppError } from '../errors/app-error';

type Collaborators = ModelDoc['collaborators'];

/**
 * Read-modify-write of a model's access list, guarded by the `rev` counter so two concurrent changes
 * cannot overwrite each other (FerretDB v1 supports neither $pull by condition nor positional `$`).
 */
export async function updateCollaborators(db: Db, modelId: ObjectId, change: (current: Collaborators) => Collaborators): Promise<Collaborators> {
  const { models } = collections(db);
  for (let attempt = 0; attempt < 5; attempt++) {
    const model = await models.findOne({ _id: modelId }, { projection: { collaborators: 1, rev: 1 } });
    if (!model) throw new AppError('NOT_FOUND', 'MODEL_NOT_FOUND', 'No such model, or it is not shared with you.');
    const next = change(model.collaborators);
    const rev = model.rev ?? 0;
    const result = await models.updateOne(
      { _id: modelId, ...(model.rev === undefined ? { rev: { $exists: false } } : { rev }) },
      { $set: { collaborators: next, rev: rev + 1 } },
    );
    if (result.matchedCount === 1) return next;
  }
  throw new AppError('CONFLICT', 'CONCURRENT_CHANGE', 'The model’s sharing changed at the same time. Try again.');
}
