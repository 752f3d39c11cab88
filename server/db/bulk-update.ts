import type { AnyBulkWriteOperation, Collection, Document } from 'mongodb';

/**
 * The most updates one `update` command carries.
 *
 * Why: upstream FerretDB v1's update handler (internal/handler/msg_update.go, v1.24) closed each
 * statement's query only when the whole command ended, each holding a PostgreSQL connection from
 * its pool (50 by default), so the 50th matching statement of one command waited forever for a
 * connection only that same command would free (bench:scheduler once stalled 15 minutes on
 * bulkWrites of 200). The build we run closes each statement's query before the next
 * (scripts/ferretdb/document-write-locks.patch; bulk-update.test.ts sends 60 in one command), so
 * this is no longer what keeps it answering; it stays for a server without that patch (another
 * FerretDB v1 behind MONGODB_URI), and so one caller's long command never holds a collection-wide
 * lock (a statement whose filter names no _id) for long.
 */
export const UPDATES_PER_COMMAND = 20;

export interface BulkUpdateCounts {
  matchedCount: number;
  modifiedCount: number;
  upsertedCount: number;
}

export interface BulkUpdateOptions {
  /**
   * Commands in flight at once (default 1). The patched FerretDB (scripts/ferretdb) locks each
   * statement by the _id its filter names, so commands updating different documents run at once,
   * each holding one pool connection at a time.
   */
  concurrency?: number;
}

/**
 * An unordered bulkWrite of update (or upsert) operations, sent UPDATES_PER_COMMAND at a time,
 * options.concurrency commands at once, so that one caller never holds more of FerretDB's
 * connections than that. Answers the summed counts. Ops are independent (unordered), so splitting
 * changes no outcome.
 */
export async function bulkUpdate<T extends Document>(collection: Collection<T>, operations: readonly AnyBulkWriteOperation<T>[], options: BulkUpdateOptions = {}): Promise<BulkUpdateCounts> {
  const counts: BulkUpdateCounts = { matchedCount: 0, modifiedCount: 0, upsertedCount: 0 };
  let next = 0;
  const worker = async () => {
    while (next < operations.length) {
      const from = next;
      next += UPDATES_PER_COMMAND;
      const result = await collection.bulkWrite(operations.slice(from, from + UPDATES_PER_COMMAND), { ordered: false });
      counts.matchedCount += result.matchedCount;
      counts.modifiedCount += result.modifiedCount;
      counts.upsertedCount += result.upsertedCount;
    }
  };
  const chunks = Math.ceil(operations.length / UPDATES_PER_COMMAND);
  await Promise.all(Array.from({ length: Math.max(1, Math.min(options.concurrency ?? 1, chunks)) }, worker));
  return counts;
}
