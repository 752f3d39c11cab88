import { ObjectId, type Db } from 'mongodb';
import { AppError } from '../errors/app-error';
import { measuredSpeedsOf } from '../jobs/measured-speed';
import { unitSpeed } from '../jobs/unit-speed';
import { machinesCollection, type MachineDoc } from './collections';
import { machineRevoked } from './revoked';
import type { MachineDetail, MachineView } from './schema';
import { machineDetail, machineView } from './views';

export function machineNotFound(): AppError {
  return new AppError('NOT_FOUND', 'MACHINE_NOT_FOUND', 'No such machine.', 'id');
}

/** The owner's machine, or NOT_FOUND for anyone else's (no probing which ids exist). */
export function ownedFilter(ownerId: ObjectId, id: string): { _id: ObjectId; ownerId: ObjectId; removedAt: null } {
  if (!ObjectId.isValid(id) || !/^[0-9a-f]{24}$/i.test(id)) throw machineNotFound();
  return { _id: new ObjectId(id), ownerId, removedAt: null };
}

export async function listMachines(db: Db, ownerId: ObjectId, now: Date): Promise<{ machines: MachineView[] }> {
  // The list leaves the chart samples and the full inventory in the database: only get shows them.
  const docs = await machinesCollection(db)
    .find({ ownerId, removedAt: null }, { projection: { samples: 0, inventoryJson: 0 } })
    .toArray();
  docs.sort((a, b) => a.registeredAt.getTime() - b.registeredAt.getTime());
  return { machines: await withSpeeds(db, docs.map((doc) => machineView(doc, now))) };
}

export async function getMachine(db: Db, ownerId: ObjectId, id: string, now: Date): Promise<MachineDetail> {
  const doc = await machinesCollection(db).findOne(ownedFilter(ownerId, id));
  if (!doc) throw machineNotFound();
  return (await withSpeeds(db, [machineDetail(doc, now)]))[0]!;
}

/** Each unit's speed: what the platform measured on its current backend (jobs/measured-speed.ts), else the device-class estimate. */
async function withSpeeds<T extends MachineView>(db: Db, machines: T[]): Promise<T[]> {
  const measured = await measuredSpeedsOf(db, machines);
  return machines.map((m) => ({
    ...m,
    units: m.units.map((u) => {
      const doc = measured.get(u.id);
      return { ...u, speed: unitSpeed({ kind: u.kind, measuredFlopsPerSecond: doc?.flopsPerSecond ?? null, measuredSamples: doc?.samples ?? 0 }) };
    }),
  }));
}

export async function machineOf(db: Db, id: ObjectId): Promise<MachineDoc> {
  const doc = await machinesCollection(db).findOne({ _id: id, removedAt: null });
  if (!doc) throw machineRevoked();
  return doc;
}
