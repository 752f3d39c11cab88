import type { Db } from 'mongodb';
import { LedgerExecutor } from './executor';

// One executor per process and database; kept on globalThis so Next's module reloads and bundles share it.
const holder = globalThis as unknown as { __cyxwizLedgers?: WeakMap<Db, Promise<LedgerExecutor>> };

/** The process's executor for `db`, opened on first use; a failed open is retried by the next call. */
export function getLedger(db: Db): Promise<LedgerExecutor> {
  const ledgers = (holder.__cyxwizLedgers ??= new WeakMap());
  let ledger = ledgers.get(db);
  if (!ledger) {
    ledger = LedgerExecutor.open(db);
    ledgers.set(db, ledger);
    const opening = ledger;
    opening.catch(() => ledgers.get(db) === opening && ledgers.delete(db));
  }
  return ledger;
}

/** Answers what the process's executor for `db` has queued and gives its lease back (at shutdown). */
export async function closeLedger(db: Db): Promise<void> {
  const ledgers = holder.__cyxwizLedgers;
  const ledger = ledgers?.get(db);
  if (!ledger) return;
  ledgers!.delete(db);
  await (await ledger.catch(() => null))?.close();
}
