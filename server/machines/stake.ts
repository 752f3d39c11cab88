import type { Db, ObjectId } from 'mongodb';
import { formatCyx, MIN_STAKE, type Failure } from '../../programs/index';
import { AppError } from '../errors/app-error';
import { getLedger } from '../ledger/index';
import { machinesCollection } from './collections';
import { machineNotFound, ownedFilter } from './read';

function refused(outcome: Failure, field?: string): AppError {
  return new AppError('BAD_REQUEST', outcome.code, outcome.message, field);
}

/**
 * Stakes MIN_STAKE for a new machine through the ledger (register_node, nodeId = the machine's id,
 * keyed by it so a retried registration cannot stake twice) and answers the stake in µCYX. Too
 * little CYX is a clear 400 before anything about the machine is stored.
 */
export async function stakeForMachine(db: Db, opts: { machineId: ObjectId; ownerId: ObjectId; at: Date }): Promise<bigint> {
  const ledger = await getLedger(db);
  const owner = opts.ownerId.toHexString();
  const { outcome } = await ledger.submit({ kind: 'register_node', key: `machine-register:${opts.machineId.toHexString()}`, at: opts.at.getTime(), nodeId: opts.machineId.toHexString(), owner, stake: MIN_STAKE });
  if (outcome.ok) return MIN_STAKE;
  if (outcome.code === 'INSUFFICIENT_FUNDS') {
    const { available } = await ledger.wallet(owner);
    throw new AppError('BAD_REQUEST', 'INSUFFICIENT_FUNDS', `Registering a machine stakes ${formatCyx(MIN_STAKE)}; your balance is ${formatCyx(available)}. Get CYX from the faucet on the Wallet page.`);
  }
  throw refused(outcome);
}

/**
 * Asks the ledger to start releasing a machine's stake (request_unstake): it can be withdrawn once
 * the lockup is over. A second request while one is pending is the program's UNSTAKE_PENDING.
 */
export async function unstakeMachine(db: Db, ownerId: ObjectId, id: string, now: Date): Promise<{ requested: true; availableAt: string }> {
  const doc = await machinesCollection(db).findOne(ownedFilter(ownerId, id), { projection: { _id: 1 } });
  if (!doc) throw machineNotFound();
  const ledger = await getLedger(db);
  const { outcome } = await ledger.submit({ kind: 'request_unstake', key: `machine-unstake:${id}:${now.getTime()}`, at: now.getTime(), nodeId: id });
  if (!outcome.ok) throw refused(outcome, 'id');
  const event = outcome.events.find((e) => e.type === 'unstake_requested');
  return { requested: true, availableAt: new Date(event?.availableAt ?? now.getTime()).toISOString() };
}

/**
 * A removed machine leaves the network, so its stake starts its lockup (keyed by the machine: a
 * retried removal asks once). The program's refusals (already unstaking, never staked, banned)
 * leave nothing to do; a ledger that cannot be reached throws, and the removal is not made.
 */
export async function releaseStakeOnRemoval(db: Db, machineId: ObjectId, now: Date): Promise<void> {
  const ledger = await getLedger(db);
  await ledger.submit({ kind: 'request_unstake', key: `machine-remove:${machineId.toHexString()}`, at: now.getTime(), nodeId: machineId.toHexString() });
}
