import type { Db } from 'mongodb';
import { machinesCollection } from '../machines/collections';
import { unitsOf } from '../machines/machine-codec';
import type { MachineStatus, UnitStatus } from '../machines/schema';
import { deriveStatus } from '../machines/status';
import { unitClaimsCollection } from './collections';

/** A compute unit as the scheduler weighs it: the unit, what it needs of its machine, and who holds it. */
export interface SchedulableUnit {
  machineId: string;
  unitId: string;
  kind: 'gpu' | 'cpu';
  device: string;
  vramOffered: number;
  vramReserved: number;
  unitStatus: UnitStatus;
  machineStatus: MachineStatus;
  pricePerHourMicro: string;
  machineJobs: number;
  machineJobsSucceeded: number;
  /** The job holding the unit (its claim), as hex; null while free. */
  heldBy: string | null;
  /** The machine's queue: how many of its active units hold a job, of how many. */
  machineBusyUnits: number;
  machineActiveUnits: number;
  /** Measured training throughput; null for every unit until runners report one (see unit-speed.ts). */
  measuredFlopsPerSecond: number | null;
}

/** Whether any job could be given the unit now (what is left depends on the job: explainCandidates). */
export function unitIsOpen(unit: SchedulableUnit): boolean {
  return unit.heldBy === null && unit.unitStatus === 'active' && (unit.machineStatus === 'online' || unit.machineStatus === 'busy');
}

/**
 * Every unit of every machine not removed, with who holds it. Two reads whatever the fleet's size:
 * the machines (without their samples, inventory and metrics) and the unit claims. Offline, paused
 * and held units are included so the admin view can say why they were passed over.
 */
export async function loadSchedulableUnits(db: Db, now: Date): Promise<SchedulableUnit[]> {
  const [machines, claims] = await Promise.all([
    machinesCollection(db).find({ removedAt: null }, { projection: { samples: 0, inventoryJson: 0, metricsJson: 0 } }).toArray(),
    unitClaimsCollection(db).find({}, { projection: { _id: 1, jobId: 1 } }).toArray(),
  ]);
  const holder = new Map(claims.map((c) => [c._id, c.jobId.toHexString()]));
  const units: SchedulableUnit[] = [];
  for (const machine of machines) {
    const machineId = machine._id.toHexString();
    const machineStatus = deriveStatus(machine, now);
    const own = unitsOf(machine);
    const active = own.filter((u) => u.status === 'active');
    const busy = active.filter((u) => holder.has(u.id)).length;
    for (const unit of own) {
      units.push({
        machineId,
        unitId: unit.id,
        kind: unit.kind,
        device: unit.device,
        vramOffered: unit.vramOffered,
        vramReserved: unit.vramReserved,
        unitStatus: unit.status,
        machineStatus,
        pricePerHourMicro: machine.pricePerHourMicro,
        machineJobs: machine.jobs,
        machineJobsSucceeded: machine.jobsSucceeded,
        heldBy: holder.get(unit.id) ?? null,
        machineBusyUnits: busy,
        machineActiveUnits: active.length,
        measuredFlopsPerSecond: null,
      });
    }
  }
  return units;
}
