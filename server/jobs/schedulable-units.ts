import type { Db } from 'mongodb';
import { machinesCollection } from '../machines/collections';
import { unitsOf } from '../machines/machine-codec';
import type { MachineStatus, UnitStatus } from '../machines/schema';
import { deriveStatus } from '../machines/status';
import { unitClaimsCollection } from './collections';
import { unitSpeedKey, unitSpeedsCollection } from './measured-speed';

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
  /** Training throughput the platform measured on this unit's current backend (measured-speed.ts); null until a verified checkpoint interval counts. */
  measuredFlopsPerSecond: number | null;
  /** How many intervals that figure comes from (0 or absent when unmeasured). */
  measuredSamples?: number;
}

/** Whether any job could be given the unit now (what is left depends on the job: explainCandidates). */
export function unitIsOpen(unit: SchedulableUnit): boolean {
  return unit.heldBy === null && unit.unitStatus === 'active' && (unit.machineStatus === 'online' || unit.machineStatus === 'busy');
}

/**
 * Every unit of every machine not removed, with who holds it and its measured speed. Three reads in
 * parallel whatever the fleet's size: the machines (without their samples, inventory and metrics),
 * the unit claims and the measured speeds. Offline, paused
 * and held units are included so the admin view can say why they were passed over.
 */
export async function loadSchedulableUnits(db: Db, now: Date): Promise<SchedulableUnit[]> {
  const [machines, claims, speeds] = await Promise.all([
    machinesCollection(db).find({ removedAt: null }, { projection: { samples: 0, inventoryJson: 0, metricsJson: 0 } }).toArray(),
    unitClaimsCollection(db).find({}, { projection: { _id: 1, jobId: 1 } }).toArray(),
    unitSpeedsCollection(db).find({}, { projection: { _id: 1, flopsPerSecond: 1, samples: 1 } }).toArray(),
  ]);
  const holder = new Map(claims.map((c) => [c._id, c.jobId.toHexString()]));
  const measured = new Map(speeds.map((s) => [s._id, s]));
  const units: SchedulableUnit[] = [];
  for (const machine of machines) {
    const machineId = machine._id.toHexString();
    const machineStatus = deriveStatus(machine, now);
    const own = unitsOf(machine);
    const active = own.filter((u) => u.status === 'active');
    const busy = active.filter((u) => holder.has(u.id)).length;
    for (const unit of own) {
      // A unit's speed is its current backend's: a runner that moved from Dawn to torch is measured anew.
      const speed = measured.get(unitSpeedKey(unit.id, machine.backend));
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
        measuredFlopsPerSecond: speed?.flopsPerSecond ?? null,
        measuredSamples: speed?.samples ?? 0,
      });
    }
  }
  return units;
}
