import type { Db, ObjectId } from 'mongodb';
import { collections, type MemberRole } from '../db/collections';
import { AppError } from '../errors/app-error';
import { LIST_KEY_PATTERN } from './members';

export const LIST_PAGE_DEFAULT = 50;
export const LIST_PAGE_MAX = 100;

export interface ModelListItem {
  id: string;
  name: string;
  owner: string;
  mine: boolean;
  role: MemberRole;
  collaborators: number;
  updatedAt: Date;
}

/**
 * One page of the models a person owns or has been given, most recently edited first. One query on
 * their membership rows (which carry what the list shows), equality on userId and a range on listKey:
 * the cursor is the last row's listKey, so pages never repeat or skip a model that did not change.
 */
export async function listModels(db: Db, userId: ObjectId, page: { cursor?: string; limit: number }): Promise<{ items: ModelListItem[]; nextCursor: string | null }> {
  if (page.cursor !== undefined && !LIST_KEY_PATTERN.test(page.cursor)) {
    throw new AppError('BAD_REQUEST', 'INVALID_CURSOR', 'That page of the list is not valid. Reload the list.', 'cursor');
  }
  const rows = await collections(db)
    .modelMembers.find(
      { userId, ...(page.cursor ? { listKey: { $lt: page.cursor } } : {}) },
      { projection: { modelId: 1, role: 1, name: 1, ownerName: 1, memberCount: 1, modelUpdatedAt: 1, listKey: 1 } },
    )
    .sort({ listKey: -1 })
    .limit(page.limit + 1)
    .toArray();
  const shown = rows.slice(0, page.limit);
  return {
    items: shown.map((r) => ({
      id: r.modelId.toHexString(),
      name: r.name,
      owner: r.ownerName,
      mine: r.role === 'owner',
      role: r.role,
      collaborators: r.memberCount,
      updatedAt: r.modelUpdatedAt,
    })),
    nextCursor: rows.length > page.limit ? shown[shown.length - 1]!.listKey : null,
  };
}
