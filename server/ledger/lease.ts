import type { Db } from 'mongodb';
import { collections } from '../db/collections';
import { isDuplicateKeyError } from '../db/duplicate-key';

const LEASE_ID = 'ledger';
/** How long a taken lease lasts without renewal: a holder that dies frees it after this. */
export const DEFAULT_LEASE_MS = 10_000;
/** How long a released lease stays kept for the executor that asked for it (so the releaser cannot take it straight back). */
const HANDOVER_MS = 1_000;
/** How often a waiting executor asks again. */
const WAIT_POLL_MS = 10;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The right to append to the ledger log, for one executor at a time across processes: a single
 * document taken with a conditional update (free, expired, or already ours). It keeps executors
 * from racing each other for sequence numbers; correctness does not rest on it (clocks and pauses
 * can defeat any lease) but on the log's unique `_id`, which refuses a second append at a number.
 */
export class LedgerLease {
  /** Local time until which the lease is ours without asking the database. */
  private heldUntil = 0;
  private heldSince = 0;

  constructor(
    private readonly db: Db,
    readonly holder: string,
    private readonly leaseMs = DEFAULT_LEASE_MS,
  ) {}

  get held(): boolean {
    return Date.now() < this.heldUntil;
  }

  /** How long it has been ours without a break. */
  get heldForMs(): number {
    return this.held ? Date.now() - this.heldSince : 0;
  }

  /**
   * Takes or renews the lease, waiting while another live executor holds it. Answers whether it
   * stayed ours since it was last taken: if not, someone else may have appended meanwhile.
   */
  async acquire(isClosed: () => boolean): Promise<{ continuous: boolean }> {
    const now = Date.now();
    // Renewed once half is gone, so a busy holder never lets it lapse between batches.
    if (this.heldUntil - now > this.leaseMs / 2) return { continuous: true };
    const leases = collections(this.db).ledgerLease;
    for (;;) {
      const at = Date.now();
      const before = await leases.findOneAndUpdate(
        {
          _id: LEASE_ID,
          // Free and nobody waiting, or free and kept for us, or expired (a holder that died, or a waiter that gave up).
          $or: [{ holder: this.holder }, { holder: null, wantedBy: null }, { holder: null, wantedBy: this.holder }, { expiresAt: { $lt: new Date(at) } }],
        },
        { $set: { holder: this.holder, expiresAt: new Date(at + this.leaseMs), wantedBy: null } },
        { returnDocument: 'before' },
      );
      if (before) {
        const continuous = before.holder === this.holder;
        if (!continuous) this.heldSince = at;
        this.heldUntil = at + this.leaseMs;
        return { continuous };
      }
      if (isClosed()) throw new Error('closed while waiting for the ledger lease');
      // Asked at every try (the next holder clears it), but never over another waiter's ask: the
      // releaser itself asks as it tries to take the lease straight back.
      const asked = await leases.updateOne({ _id: LEASE_ID, holder: { $ne: this.holder }, wantedBy: null }, { $set: { wantedBy: this.holder } });
      if (asked.matchedCount === 0 && !(await leases.findOne({ _id: LEASE_ID }, { projection: { _id: 1 } }))) {
        await leases.insertOne({ _id: LEASE_ID, holder: null, expiresAt: new Date(0), wantedBy: null }).catch((error: unknown) => {
          if (!isDuplicateKeyError(error)) throw error;
        });
        continue;
      }
      await sleep(WAIT_POLL_MS);
    }
  }

  /** Whether another executor is waiting for the lease (a busy holder then hands it over). */
  async wanted(): Promise<boolean> {
    const doc = await collections(this.db).ledgerLease.findOne({ _id: LEASE_ID }, { projection: { wantedBy: 1 } });
    return doc?.wantedBy != null && doc.wantedBy !== this.holder;
  }

  /** Gives the lease up; an executor waiting for it has HANDOVER_MS to take it before anyone else may. */
  async release(): Promise<void> {
    if (this.heldUntil === 0) return;
    this.heldUntil = 0;
    await collections(this.db).ledgerLease.updateOne({ _id: LEASE_ID, holder: this.holder }, { $set: { holder: null, expiresAt: new Date(Date.now() + HANDOVER_MS) } });
  }
}
