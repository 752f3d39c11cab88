import { ObjectId, type Db } from 'mongodb';
import { formatCyx } from '../../programs';
import type { Actor } from '../admin/users';
import { audit } from '../audit/audit';
import { AppError } from '../errors/app-error';
import { getLedger } from '../ledger';
import { toMoneyError, withLedger } from '../wallet/money-error';
import { machinesCollection, type MachineDoc } from './collections';
import { machineNotFound } from './read';

// What an administrator does to any provider's machine. Each action says why and leaves exactly one
// audit entry for each change that landed: the entry is written after the machine's conditional
// update matched, so a retry of an action that already landed (same request id) audits nothing twice,
// and one that crashed before its update lands it and audits it then.

function machineFilter(id: string): { _id: ObjectId; removedAt: null } {
  if (!ObjectId.isValid(id) || !/^[0-9a-f]{24}$/i.test(id)) throw machineNotFound();
  return { _id: new ObjectId(id), removedAt: null };
}

async function loadMachine(db: Db, id: string): Promise<MachineDoc> {
  const doc = await machinesCollection(db).findOne(machineFilter(id), { projection: { samples: 0, inventoryJson: 0 } });
  if (!doc) throw machineNotFound();
  return doc;
}

const label = (doc: Pick<MachineDoc, '_id' | 'name'>) => `${doc.name} (${doc._id.toHexString()})`;

export async function adminSetMaintenance(db: Db, actor: Actor, input: { machineId: string; on: boolean; reason: string }): Promise<{ changed: boolean }> {
  const doc = await loadMachine(db, input.machineId);
  const result = await machinesCollection(db).updateOne({ ...machineFilter(input.machineId), maintenance: !input.on }, { $set: { maintenance: input.on } });
  if (result.modifiedCount === 0) return { changed: false };
  await audit(db, { actorId: actor.id, action: 'machine.maintenance', target: `${label(doc)}: maintenance ${input.on ? 'on' : 'off'}`, reason: input.reason, ip: actor.ip });
  return { changed: true };
}

/**
 * Bans a machine: the registry program's ban_node slashes its stake (ADMIN_BAN_PERCENT) and marks the
 * node banned, keyed by the request id so a retried click slashes once; then the machine is marked
 * banned, which its derived status shows and the scheduler honours (it offers banned machines nothing).
 */
export async function banMachine(db: Db, actor: Actor, input: { machineId: string; reason: string; requestId: string }, now = new Date()): Promise<{ slashedMicro: string; repeated: boolean }> {
  const doc = await loadMachine(db, input.machineId);
  if (doc.bannedAt) throw new AppError('CONFLICT', 'MACHINE_BANNED', `${doc.name} is already banned.`);
  const nodeId = doc._id.toHexString();
  const result = await withLedger(async () =>
    (await getLedger(db)).submit({ kind: 'ban_node', key: `admin-ban:${nodeId}:${input.requestId}`, at: now.getTime(), nodeId, by: actor.id.toHexString(), reason: input.reason }),
  );
  if (!result.outcome.ok) throw toMoneyError(result.outcome, 'machineId');
  const slashed = result.outcome.events.find((e) => e.type === 'node_slashed')?.amount ?? 0n;
  const landed = await machinesCollection(db).updateOne({ ...machineFilter(input.machineId), bannedAt: null }, { $set: { bannedAt: now, banReason: input.reason } });
  if (landed.modifiedCount === 1) {
    await audit(db, { at: now, actorId: actor.id, action: 'machine.ban', target: `${label(doc)}: ${formatCyx(slashed)} slashed, ledger seq ${result.seq}`, reason: input.reason, ip: actor.ip });
  }
  return { slashedMicro: slashed.toString(), repeated: result.repeated };
}

/**
 * Lifts a ban: unban_node returns the node to withdrawn (what was slashed stays slashed), then the
 * machine's ban mark is cleared. It takes work again once its owner stakes for it anew.
 */
export async function unbanMachine(db: Db, actor: Actor, input: { machineId: string; reason: string; requestId: string }, now = new Date()): Promise<{ repeated: boolean }> {
  const doc = await loadMachine(db, input.machineId);
  if (!doc.bannedAt) throw new AppError('CONFLICT', 'MACHINE_NOT_BANNED', `${doc.name} is not banned.`);
  const nodeId = doc._id.toHexString();
  const result = await withLedger(async () =>
    (await getLedger(db)).submit({ kind: 'unban_node', key: `admin-unban:${nodeId}:${input.requestId}`, at: now.getTime(), nodeId, by: actor.id.toHexString(), reason: input.reason }),
  );
  // A machine banned before the registry knew it (or unbanned there already) still has its mark cleared.
  if (!result.outcome.ok && result.outcome.code !== 'NODE_NOT_BANNED' && result.outcome.code !== 'NODE_NOT_FOUND') throw toMoneyError(result.outcome, 'machineId');
  const landed = await machinesCollection(db).updateOne({ ...machineFilter(input.machineId), bannedAt: { $ne: null } }, { $set: { bannedAt: null, banReason: null } });
  if (landed.modifiedCount === 1) {
    await audit(db, { at: now, actorId: actor.id, action: 'machine.unban', target: `${label(doc)}${result.seq ? `: ledger seq ${result.seq}` : ''}`, reason: input.reason, ip: actor.ip });
  }
  return { repeated: result.repeated };
}
