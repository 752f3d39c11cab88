import type { Db } from 'mongodb';
import { LedgerExecutor } from './executor';

// One executor per process and database; kept on globalThis so Next's module reloads and bundles share it.
const holder = globalThis as unknown as { __cyxwizLedgers?: WeakMap<Db, Promise<LedgerExecutor>> };

/** The process's executor for `db`, opened on first use; a failed open, or a closed executor, is replaced by the next call. */
export async function getLedger(db: Db): Promise<LedgerExecutor> {
  const ledgers = (holder.__cyxwizLedgers ??= new WeakMap());
  let opening = ledgers.get(db);
  if (!opening) {
    opening = LedgerExecutor.open(db);
    ledgers.set(db, opening);
  }
  let ledger: LedgerExecutor;
  try {
    ledger = await opening;
  } catch (error) {
    if (ledgers.get(db) === opening) ledgers.delete(db);
    throw error;
  }
  if (!ledger.isClosed) return ledger;
  if (ledgers.get(db) === opening) ledgers.delete(db);
  return getLedger(db);
}

/** Answers what the process's executor for `db` has queued and gives its lease back (at shutdown). */
export async function closeLedger(db: Db): Promise<void> {
  const ledgers = holder.__cyxwizLedgers;
  const ledger = ledgers?.get(db);
  if (!ledger) return;
  ledgers!.delete(db);
  await (await ledger.catch(() => null))?.close();
}
