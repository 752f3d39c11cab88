import type { Db } from 'mongodb';
import { jobsCollection } from './collections';
import { machinesLeasesUntil } from './held-jobs';
import type { JobStatus } from './job-machine';

/**
 * How many held leases run out within `withinMs`. A lease runs until the later of the job's own
 * expiry (the assign's, moved by progress reports) and its machine's leasesUntil (moved by every
 * heartbeat, held-jobs.ts), as expireLeases judges it; the job's own expiry lags behind a beating
 * machine's, so a count of job expiries alone would show healthy leases as about to expire.
 *
 * Candidates are the held jobs whose own expiry is within the window or past (status equality and
 * a range on a top-level date); their machines are read by _id.
 */
export async function countLeasesExpiringSoon(db: Db, now: Date, withinMs: number): Promise<number> {
  const horizon = new Date(now.getTime() + withinMs);
  const statuses: JobStatus[] = ['ASSIGNED', 'RUNNING'];
  const found = await Promise.all(
    statuses.map((status) => jobsCollection(db).find({ status, leaseExpiresAt: { $lte: horizon } }, { projection: { lease: 1, leaseExpiresAt: 1 } }).toArray()),
  );
  const held = found.flat().filter((job) => job.lease);
  if (held.length === 0) return 0;
  const until = await machinesLeasesUntil(db, held.map((job) => job.lease!.machineId));
  let soon = 0;
  for (const job of held) {
    const own = job.lease!.expiresAt;
    const machine = until.get(job.lease!.machineId)?.getTime() ?? -Infinity;
    const runsUntil = Math.max(own, machine);
    if (runsUntil >= now.getTime() && runsUntil <= horizon.getTime()) soon++;
  }
  return soon;
}
