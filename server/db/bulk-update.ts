import type { AnyBulkWriteOperation, Collection, Document } from 'mongodb';

/**
 * The most updates one `update` command may carry on FerretDB v1 on PostgreSQL (left well under
 * its pool's 50 connections, which concurrent commands share).
 *
 * Why: FerretDB v1's update handler (internal/handler/msg_update.go, v1.24) opens a query per
 * statement and closes them all only when the command ends (`defer closer.Close()` inside the loop),
 * each holding a PostgreSQL connection from its pool (pool_max_conns, 50 by default); a statement
 * that matches then needs one more connection for its write. The 50th matching statement of one
 * command waits for a connection only that same command would free: the command never answers and
 * the database sits idle (bench:scheduler stalled for 15 minutes on bulkWrites of 200 assigns;
 * 49 answer, 50 hang). The MongoDB driver sends a whole bulkWrite as one command, so bulkUpdate
 * splits it.
 */
export const UPDATES_PER_COMMAND = 20;

export interface BulkUpdateCounts {
  matchedCount: number;
  modifiedCount: number;
  upsertedCount: number;
}

export interface BulkUpdateOptions {
  /**
   * Commands in flight at once (default 1). The patched FerretDB (scripts/ferretdb) runs one update
   * command per collection at a time, taking that lock before any statement holds a pool
   * connection, so a second command of the same collection waits without holding any: 2 keeps the
   * lock busy across the round trip between commands and never holds more connections than 1 does.
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
