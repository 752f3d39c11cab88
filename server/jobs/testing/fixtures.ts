import { ObjectId, type Db } from 'mongodb';
import { machinesCollection, type MachineDoc } from '../../machines/collections';
import type { Inventory } from '../../machines/schema';
import { unitsFor } from '../../machines/units';
import { applyJobEvent } from '../apply-job-event';
import type { JobDoc, JobRequirements } from '../collections';
import { createJob } from '../create-job';

export interface MachineSpec {
  /** VRAM of each NVIDIA GPU; the machine also has its CPU unit (RAM: cpuRamBytes). */
  gpus?: number[];
  cpuRamBytes?: number;
  pricePerHourMicro?: string;
  jobs?: number;
  jobsSucceeded?: number;
  maintenance?: boolean;
  lastSeenAt?: Date | null;
  removedAt?: Date | null;
  /** Unit indexes to offer; all of them when left out. */
  offer?: number[];
}

const GiB = 2 ** 30;

/** A registered machine stored as registerMachine stores one (without the stake), heard from at `now`. */
export async function insertMachine(db: Db, now: Date, spec: MachineSpec = {}): Promise<{ machineId: string; unitIds: string[] }> {
  const gpus = spec.gpus ?? [24 * GiB];
  const inventory: Inventory = {
    os: { platform: 'linux', release: '6.1.0', arch: 'x64' },
    cpu: { model: 'Test CPU', cores: 8, threads: 16 },
    ramBytes: spec.cpuRamBytes ?? 32 * GiB,
    webgpu: [],
    nvidia: gpus.map((vramBytes, i) => ({ name: `Test GPU ${i}`, vramBytes, driver: '535', cuda: '12.2' })),
  };
  const _id = new ObjectId();
  const units = unitsFor(_id, inventory, spec.offer ?? inventory.nvidia.map((_, i) => i).concat(gpus.length));
  const doc: MachineDoc = {
    _id,
    ownerId: new ObjectId(),
    name: 'rig',
    credentialHash: `hash-${_id.toHexString()}`,
    os: inventory.os,
    inventoryJson: JSON.stringify(inventory),
    inventoryHash: 'h',
    pricePerHourMicro: spec.pricePerHourMicro ?? '1000000',
    stakeMicro: '100000000',
    maintenance: spec.maintenance ?? false,
    unitsJson: JSON.stringify(units),
    unitsRev: 0,
    registeredAt: now,
    lastSeenAt: spec.lastSeenAt === undefined ? now : spec.lastSeenAt,
    nextHeartbeatAt: now,
    metricsJson: null,
    jobId: null,
    samples: {},
    jobs: spec.jobs ?? 0,
    jobsSucceeded: spec.jobsSucceeded ?? 0,
    removedAt: spec.removedAt ?? null,
  };
  await machinesCollection(db).insertOne(doc);
  return { machineId: _id.toHexString(), unitIds: units.map((u) => u.id) };
}

export interface JobSpec {
  requirements?: JobRequirements;
  priceCapMicro?: string;
  trainingFlops?: number | null;
}

/** A job approved and paid for: ESCROWED, waiting for a machine. */
export async function queuedJob(db: Db, now: Date, spec: JobSpec = {}): Promise<JobDoc> {
  const job = await createJob(
    db,
    { modelId: new ObjectId(), ownerId: new ObjectId(), requirements: spec.requirements ?? { device: 'gpu', minVramBytes: 0 }, priceCapMicro: spec.priceCapMicro ?? '5000000', trainingFlops: spec.trainingFlops ?? null },
    now,
  );
  await applyJobEvent(db, job._id, { type: 'approve' }, now);
  return (await applyJobEvent(db, job._id, { type: 'escrow_locked' }, now)).job;
}
