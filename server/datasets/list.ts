import type { Db, ObjectId } from 'mongodb';
import { collections } from '../db/collections';
import { newestFirstPage, type Page, type PageRequest } from '../db/newest-first-page';
import { DATASET_LIST_PROJECTION, datasetListItem, type DatasetListDoc } from './summary';

/** The owner's datasets, newest first, a page at a time: one indexed query (owner_newest). */
export async function listDatasets(db: Db, ownerId: ObjectId, request: PageRequest): Promise<Page<ReturnType<typeof datasetListItem>>> {
  const page = await newestFirstPage(collections(db).datasets, { ownerId }, request, DATASET_LIST_PROJECTION);
  return { items: page.items.map((d) => datasetListItem(d as DatasetListDoc)), nextCursor: page.nextCursor };
}
