import { ObjectId, type Collection, type Document, type Filter, type WithId } from 'mongodb';

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 100;

export interface PageRequest {
  /** The nextCursor of the previous page; absent for the first. */
  cursor?: string | null;
  limit?: number;
}

export interface Page<T> {
  items: T[];
  /** Pass it back as `cursor` for the next page; null on the last one. */
  nextCursor: string | null;
}

/**
 * A page of a collection, newest first, by `_id`: ObjectIds grow with creation time and never tie,
 * so `_id < cursor` splits pages exactly (a createdAt cursor would need an $or for equal times,
 * which FerretDB answers with a scan). The filter should be equalities on the fields that lead an
 * index ending in `_id: -1`. The cursor is checked by the API's input schema (page-input.ts).
 */
export async function newestFirstPage<T extends Document>(collection: Collection<T>, filter: Filter<T>, request: PageRequest, projection?: Document): Promise<Page<WithId<T>>> {
  const limit = Math.min(Math.max(1, request.limit ?? DEFAULT_PAGE_SIZE), MAX_PAGE_SIZE);
  const query = (request.cursor ? { ...filter, _id: { $lt: new ObjectId(request.cursor) } } : filter) as Filter<T>;
  const docs = await collection
    .find(query, projection ? { projection } : {})
    .sort({ _id: -1 })
    .limit(limit + 1)
    .toArray();
  const items = docs.slice(0, limit);
  return { items, nextCursor: docs.length > limit ? items[items.length - 1]!._id.toHexString() : null };
}
