import type { Db } from 'mongodb';
import type { z } from 'zod';
import { AppError } from '../errors/app-error';
import { heldJobsOf, machineLeasesUntil } from '../jobs/held-jobs';
import type { HeldJob } from '../jobs/runner-protocol';
import type { MachineCaller } from './authenticate';
import { machinesCollection } from './collections';
import { unitsOf } from './machine-codec';
import { machineRevoked } from './revoked';
import { encodeSample, sampleSlot } from './samples';
import type { HeartbeatInputSchema, MachineStatus, UnitStatus } from './schema';
import { deriveStatus, heartbeatMinIntervalMs } from './status';

export type HeartbeatInput = z.infer<typeof HeartbeatInputSchema>;

export interface HeartbeatAnswer {
  status: MachineStatus;
  units: { id: string; status: UnitStatus }[];
  /** The inventory hash the runner sent differs from the stored one: send runner.inventory. */
  inventoryWanted: boolean;
  /** The leases this machine holds (each renewed by this heartbeat): the runner starts, keeps or drops jobs by this list. */
  jobs: HeldJob[];
}

/**
 * Records one heartbeat with a single conditional update on the machine's _id (found by the
 * credential while the context was made): the rate limit is the condition on nextHeartbeatAt, the
 * recent samples a fixed set of slots, and the answer (units, maintenance) comes back from the same write.
 * Only a refused update reads again, to say why. The same write renews every lease the machine
 * holds (leasesUntil, server/jobs/held-jobs.ts); then one indexed read of its leased jobs answers
 * them: two round trips a beat, however many jobs it runs.
 */
export async function recordHeartbeat(db: Db, machine: MachineCaller, input: HeartbeatInput, now: Date): Promise<HeartbeatAnswer> {
  if (input.machineId !== undefined && input.machineId !== machine.id.toHexString()) {
    throw new AppError('FORBIDDEN', 'NOT_THIS_MACHINE', 'This credential belongs to another machine; a runner can only send heartbeats for its own.', 'machineId');
  }
  const machines = machinesCollection(db);
  const doc = await machines.findOneAndUpdate(
    { _id: machine.id, removedAt: null, nextHeartbeatAt: { $lte: now } },
    {
      $set: {
        lastSeenAt: now,
        // Back after a clean stop (runner.signOff): online again from this beat.
        signedOffAt: null,
        nextHeartbeatAt: new Date(now.getTime() + heartbeatMinIntervalMs()),
        metricsJson: JSON.stringify(input.metrics),
        jobId: input.metrics.job?.id ?? null,
        [`samples.${sampleSlot(now)}`]: encodeSample(input.metrics, now),
        // Renews every lease this machine holds, in this same write (server/jobs/held-jobs.ts).
        leasesUntil: machineLeasesUntil(now),
      },
    },
    // FerretDB v1's findAndModify takes no projection: the whole (bounded) document comes back.
    { returnDocument: 'after' },
  );
  if (!doc) {
    const current = await machines.findOne({ _id: machine.id }, { projection: { removedAt: 1, nextHeartbeatAt: 1 } });
    if (!current || current.removedAt) throw machineRevoked();
    const waitS = Math.max(1, Math.ceil((current.nextHeartbeatAt.getTime() - now.getTime()) / 1000));
    throw new AppError('TOO_MANY_REQUESTS', 'HEARTBEAT_TOO_FAST', `Heartbeats come at most every ${heartbeatMinIntervalMs() / 1000} s; send the next one in ${waitS} s.`);
  }
  const jobs = await heldJobsOf(db, machine.id.toHexString());
  return {
    jobs,
    status: deriveStatus(doc, now),
    units: unitsOf(doc).map((u) => ({ id: u.id, status: u.status })),
    inventoryWanted: input.inventoryHash !== undefined && input.inventoryHash !== doc.inventoryHash,
  };
}
