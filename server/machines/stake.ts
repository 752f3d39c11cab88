import type { Db, ObjectId } from 'mongodb';
import { AppError } from '../errors/app-error';

/**
 * Stakes MIN_STAKE for a new machine through the ledger (register_node, nodeId = machine id) and
 * answers the stake in µCYX. Not yet wired: the ledger executor (server/ledger/) is being built, so
 * for now no stake is taken and 0 is answered.
 */
export async function stakeForMachine(_db: Db, _opts: { machineId: ObjectId; ownerId: ObjectId; at: Date }): Promise<bigint> {
  return 0n;
}

/** Asks the ledger to start releasing the machine's stake (request_unstake). Not yet wired, see stakeForMachine. */
export async function unstakeMachine(_db: Db, _ownerId: ObjectId, _id: string, _now: Date): Promise<{ requested: true; availableAt: string }> {
  throw new AppError('BAD_REQUEST', 'LEDGER_NOT_READY', 'Unstaking goes through the ledger, which is not available on this server yet.');
}
