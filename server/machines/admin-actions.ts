import { ObjectId, type Db, type Filter } from 'mongodb';
import { formatCyx } from '../../programs';
import type { Actor } from '../admin/users';
import { audit } from '../audit/audit';
import { AppError } from '../errors/app-error';
import { getLedger } from '../ledger';
import { toMoneyError, withLedger } from '../wallet/money-error';
import { adminRequeueJob } from '../admin/job-actions';
import { jobsCollection, unitClaimsCollection, type JobDoc } from '../jobs/collections';
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

export interface TakenBackJob {
  jobId: string;
  /** The step the next machine resumes from (0: from the start). */
  resumesFromStep: number;
}

/**
 * Every job the machine holds goes back to the queue: admin_requeue (server/admin/job-actions.ts,
 * the administrator's requeue: one transition, its unit claim released, one job.requeue audit
 * entry each), so the next machine resumes from the last verified checkpoint, which is kept. The
 * held jobs are the machine's unit claims (one indexed read); a claim whose job moved on already is
 * skipped, and a job that moves on meanwhile (completed, expired) is left to that.
 */
async function takeBackHeldJobs(db: Db, actor: Actor, machineId: string, reason: string, now: Date): Promise<TakenBackJob[]> {
  // Its unit claims, and its leased jobs by their top-level leaseMachineId where jobs carry one: both indexed equality reads.
  const [claims, leased] = await Promise.all([
    unitClaimsCollection(db).find({ machineId }, { projection: { jobId: 1 } }).toArray(),
    jobsCollection(db).find({ leaseMachineId: machineId } as Filter<JobDoc>, { projection: { _id: 1 } }).toArray(),
  ]);
  const jobIds = [...new Set([...claims.map((c) => c.jobId.toHexString()), ...leased.map((j) => j._id.toHexString())])].sort();
  const taken: TakenBackJob[] = [];
  for (const jobId of jobIds) {
    const job = await jobsCollection(db).findOne({ _id: new ObjectId(jobId) }, { projection: { status: 1, lease: 1 } });
    if (!job || job.lease?.machineId !== machineId || (job.status !== 'ASSIGNED' && job.status !== 'RUNNING')) continue;
    try {
      const result = await adminRequeueJob(db, actor, { jobId, reason: `its machine was banned: ${reason}` }, now);
      taken.push({ jobId: result.job.id, resumesFromStep: result.job.lastCheckpointStep ?? 0 });
    } catch (error) {
      // INVALID_TRANSITION / JOB_CHANGED: the job moved on between the read and the requeue.
      if (!(error instanceof AppError)) throw error;
    }
  }
  return taken;
}

/**
 * Bans a machine: the registry program's ban_node slashes its stake (ADMIN_BAN_PERCENT) and marks the
 * node banned, keyed by the request id so a retried click slashes once; then the machine is marked
 * banned, which its derived status shows and the scheduler honours (it offers banned machines nothing);
 * then every job it holds goes back to the queue from its last verified checkpoint (takeBackHeldJobs),
 * and its reports on them are refused with MACHINE_BANNED (jobs/job-lease-guard.ts). A retry of a ban
 * that landed but crashed before taking its jobs back takes them back, then says MACHINE_BANNED.
 */
export async function banMachine(db: Db, actor: Actor, input: { machineId: string; reason: string; requestId: string }, now = new Date()): Promise<{ slashedMicro: string; repeated: boolean; requeued: TakenBackJob[] }> {
  const doc = await loadMachine(db, input.machineId);
  if (doc.bannedAt) {
    await takeBackHeldJobs(db, actor, doc._id.toHexString(), doc.banReason ?? input.reason, now);
    throw new AppError('CONFLICT', 'MACHINE_BANNED', `${doc.name} is already banned.`);
  }
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
  const requeued = await takeBackHeldJobs(db, actor, nodeId, input.reason, now);
  return { slashedMicro: slashed.toString(), repeated: result.repeated, requeued };
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
