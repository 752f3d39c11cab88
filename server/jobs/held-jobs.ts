import { ObjectId, type Db } from 'mongodb';
import { machinesCollection } from '../machines/collections';
import { jobsCollection } from './collections';
import type { HeldJob } from './runner-protocol';
import { leaseMs } from './schedule-once';

/**
 * Leases are renewed per MACHINE, not per job: a heartbeat's one machine write (recordHeartbeat)
 * sets MachineDoc.leasesUntil to now + leaseMs(), which renews every lease that machine holds at
 * once, so a beat costs O(1) writes however many jobs it runs (the fleet's 5,000 leases used to
 * cost 5,000 job findAndModify every 10 s, competing with the scheduler's assigns for the same
 * documents and the database's time). A lease has run out when both its job's own
 * leaseExpiresAt (set by the assign, renewed by progress reports) and its machine's leasesUntil
 * have passed: expireLeases checks both. The fencing token stays on the job (leaseEpoch, and the
 * unit claim's epoch): a report with a stale epoch is still refused.
 */
export function machineLeasesUntil(now: Date): Date {
  return new Date(now.getTime() + leaseMs());
}

/**
 * The leases a machine holds (ASSIGNED or RUNNING jobs whose lease names it): one indexed equality
 * read on the job's top-level leaseMachineId (a dot-path on lease.machineId would scan), which
 * answers nothing for an idle machine. The heartbeat calls it after its machine write, which
 * renewed them.
 */
export async function heldJobsOf(db: Db, machineId: string): Promise<HeldJob[]> {
  const jobs = await jobsCollection(db)
    .find({ leaseMachineId: machineId }, { projection: { status: 1, lease: 1 } })
    .toArray();
  const held: HeldJob[] = [];
  for (const job of jobs) {
    if ((job.status !== 'ASSIGNED' && job.status !== 'RUNNING') || !job.lease || job.lease.machineId !== machineId) continue;
    held.push({ jobId: job._id.toHexString(), epoch: job.lease.epoch, unitId: job.lease.unitId, status: job.status });
  }
  return held.sort((a, b) => (a.jobId < b.jobId ? -1 : a.jobId > b.jobId ? 1 : 0));
}

/**
 * When each machine's leases run until (MachineDoc.leasesUntil; null for a machine that never beat
 * since leases moved onto machines, or is gone), read by _id one machine at a time (an `$in` on
 * _id makes FerretDB v1 scan the collection), concurrently.
 */
export async function machinesLeasesUntil(db: Db, machineIds: readonly string[]): Promise<Map<string, Date | null>> {
  const until = new Map<string, Date | null>();
  await Promise.all(
    [...new Set(machineIds)].map(async (id) => {
      const doc = ObjectId.isValid(id) ? await machinesCollection(db).findOne({ _id: new ObjectId(id) }, { projection: { leasesUntil: 1 } }) : null;
      until.set(id, doc?.leasesUntil ?? null);
    }),
  );
  return until;
}
