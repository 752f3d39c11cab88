import type { Db } from 'mongodb';
import { getLedger } from '../ledger';

/**
 * A job's escrow as the ledger holds it, and what a given release key moved if it landed. The
 * ledger is the truth about money: the job's paidMicro is a copy written after each release, and a
 * crash between the two leaves the copy behind, so shares and the rest are worked out from here.
 */
export interface EscrowLook {
  deposit: bigint;
  released: bigint;
  refunded: bigint;
  open: boolean;
  /** The amount the release under `key` moved, when that key was given and already landed; else null. */
  landed: bigint | null;
}

export async function lookAtEscrow(db: Db, escrowId: string, key?: string): Promise<EscrowLook | null> {
  return (await getLedger(db)).inspect((state) => {
    const escrow = state.escrows.get(escrowId);
    if (!escrow) return null;
    const applied = key === undefined ? undefined : state.applied.get(key)?.outcome;
    const event = applied?.ok ? applied.events.find((e) => e.type === 'escrow_released') : undefined;
    return { deposit: escrow.deposit, released: escrow.released, refunded: escrow.refunded, open: escrow.status === 'open', landed: event?.amount ?? null };
  });
}

export function remainingIn(look: EscrowLook): bigint {
  return look.open ? look.deposit - look.released - look.refunded : 0n;
}
