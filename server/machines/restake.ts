import type { Db, ObjectId } from 'mongodb';
import { formatCyx, MIN_STAKE, type NodeStatus } from '../../programs';
import { AppError } from '../errors/app-error';
import { getLedger } from '../ledger';
import { withLedger } from '../wallet/money-error';
import { machinesCollection } from './collections';
import { machineNotFound, ownedFilter } from './read';

/** What the node registry holds for one machine: the stake that is really locked, not the machine's copy. */
export interface MachineStake {
  status: NodeStatus | 'unregistered';
  stakeMicro: string;
  /** Whether "Stake again" applies: withdrawn (after an unban, or a withdrawn stake) or never staked. */
  canStakeAgain: boolean;
}

async function ownedMachine(db: Db, ownerId: ObjectId, id: string) {
  const doc = await machinesCollection(db).findOne(ownedFilter(ownerId, id), { projection: { _id: 1, name: 1, bannedAt: 1 } });
  if (!doc) throw machineNotFound();
  return doc;
}

export async function machineStake(db: Db, ownerId: ObjectId, id: string): Promise<MachineStake> {
  const doc = await ownedMachine(db, ownerId, id);
  const node = await withLedger(async () => (await getLedger(db)).inspect((state) => state.nodes.get(doc._id.toHexString())));
  const status = node?.status ?? 'unregistered';
  return { status, stakeMicro: (node?.stake ?? 0n).toString(), canStakeAgain: !doc.bannedAt && (status === 'withdrawn' || status === 'unregistered') };
}

/**
 * Stakes MIN_STAKE again for a machine whose node is withdrawn (an unbanned machine comes back so,
 * as does one whose stake was withdrawn): register_node under the same owner, keyed by the click's
 * request id, so a retried click stakes once and a later attempt is a new one. The machine's
 * stakeMicro copy follows the ledger.
 */
export async function restakeMachine(db: Db, ownerId: ObjectId, input: { id: string; requestId: string }, now: Date): Promise<{ stakeMicro: string; repeated: boolean }> {
  const doc = await ownedMachine(db, ownerId, input.id);
  if (doc.bannedAt) throw new AppError('CONFLICT', 'MACHINE_BANNED', `${doc.name} is banned; it cannot be staked until an administrator lifts the ban.`, 'id');
  const nodeId = doc._id.toHexString();
  const owner = ownerId.toHexString();
  const ledger = await getLedger(db);
  const result = await withLedger(() => ledger.submit({ kind: 'register_node', key: `machine-restake:${nodeId}:${input.requestId}`, at: now.getTime(), nodeId, owner, stake: MIN_STAKE }));
  if (!result.outcome.ok) {
    const { code, message } = result.outcome;
    if (code === 'INSUFFICIENT_FUNDS') {
      const { available } = await ledger.wallet(owner);
      throw new AppError('BAD_REQUEST', code, `Staking ${doc.name} again locks ${formatCyx(MIN_STAKE)}; your balance is ${formatCyx(available)}. Get CYX from the faucet on the Wallet page.`, 'id');
    }
    if (code === 'NODE_EXISTS') throw new AppError('CONFLICT', 'MACHINE_STAKED', `${doc.name} is already staked (or its unstake is pending).`, 'id');
    throw new AppError('BAD_REQUEST', code, message, 'id');
  }
  await machinesCollection(db).updateOne({ _id: doc._id }, { $set: { stakeMicro: MIN_STAKE.toString() } });
  return { stakeMicro: MIN_STAKE.toString(), repeated: result.repeated };
}
