import type { Db, ObjectId } from 'mongodb';
import { formatCyx } from '../../programs';
import { audit } from '../audit/audit';
import { getLedger } from '../ledger';

/** µCYX the slash instruction under `key` took from the stake (0 when none landed under it). */
export async function slashedUnder(db: Db, key: string): Promise<bigint> {
  return (await getLedger(db)).inspect((state) => {
    const outcome = state.applied.get(key)?.outcome;
    return outcome?.ok ? (outcome.events.find((e) => e.type === 'node_slashed')?.amount ?? 0n) : 0n;
  });
}

/**
 * The audit entry for a slash the platform made by itself (a lease that expired, a checkpoint that
 * did not verify): effects.ts calls this after its slash step. Only a slash that landed now is
 * audited ('applied'): a re-run of the same effect is the ledger's repeat and audits nothing twice;
 * a refusal (nothing staked, banned) slashed nothing. The amount is read back from the ledger under
 * the step's key. An administrator's own slashes (admin_invalidate) are audited as that action.
 */
export async function auditAutomaticSlash(
  db: Db,
  slash: { jobId: ObjectId; machineId: string; reason: 'timeout' | 'invalid_result'; key: string; result: 'applied' | 'repeated' | 'skipped' },
  now: Date,
): Promise<void> {
  if (slash.result !== 'applied') return;
  const amount = await slashedUnder(db, slash.key);
  const why = slash.reason === 'timeout' ? 'its lease expired' : 'a checkpoint did not verify';
  await audit(db, {
    at: now,
    actorId: null,
    action: 'machine.slash',
    target: `machine ${slash.machineId}: ${formatCyx(amount)} slashed on job ${slash.jobId.toHexString()} (ledger key ${slash.key})`,
    reason: `automatic: ${why} (${slash.reason})`,
  });
}
