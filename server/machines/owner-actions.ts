import { ObjectId, type Db, type UpdateFilter } from 'mongodb';
import { AppError } from '../errors/app-error';
import { machinesCollection, type MachineDoc } from './collections';
import { unitsOf } from './machine-codec';
import { machineNotFound, ownedFilter } from './read';
import { machineRevoked } from './revoked';
import { releaseStakeOnRemoval } from './stake';
import type { MachineView, UnitStatus } from './schema';
import { machineIdOfUnit } from './units';
import { machineView } from './views';

async function updateOwned(db: Db, filter: Record<string, unknown>, update: UpdateFilter<MachineDoc>, now: Date): Promise<MachineView> {
  const doc = await machinesCollection(db).findOneAndUpdate(filter, update, { returnDocument: 'after' });
  if (!doc) throw machineNotFound();
  return machineView(doc, now);
}

export function setMaintenance(db: Db, ownerId: ObjectId, id: string, on: boolean, now: Date): Promise<MachineView> {
  return updateOwned(db, ownedFilter(ownerId, id), { $set: { maintenance: on } }, now);
}

export function renameMachine(db: Db, ownerId: ObjectId, id: string, name: string, now: Date): Promise<MachineView> {
  return updateOwned(db, ownedFilter(ownerId, id), { $set: { name } }, now);
}

export function setPrice(db: Db, ownerId: ObjectId, id: string, pricePerHourMicro: string, now: Date): Promise<MachineView> {
  return updateOwned(db, ownedFilter(ownerId, id), { $set: { pricePerHourMicro } }, now);
}

const UNIT_ATTEMPTS = 5;

/**
 * Pauses or resumes one unit. A unit's id names its machine (units.ts), so this reads the machine
 * by _id and writes its units back conditionally on unitsRev: a concurrent change (an inventory
 * refresh, another toggle) makes it read again rather than be overwritten.
 */
export async function setUnitStatus(db: Db, ownerId: ObjectId, unitId: string, status: UnitStatus, now: Date): Promise<MachineView> {
  const notFound = new AppError('NOT_FOUND', 'UNIT_NOT_FOUND', 'No such compute unit.', 'unitId');
  const machineId = machineIdOfUnit(unitId);
  if (!machineId) throw notFound;
  const machines = machinesCollection(db);
  for (let attempt = 0; attempt < UNIT_ATTEMPTS; attempt++) {
    const doc = await machines.findOne({ _id: new ObjectId(machineId), ownerId, removedAt: null });
    const units = doc ? unitsOf(doc) : [];
    const unit = units.find((u) => u.id === unitId);
    if (!doc || !unit) throw notFound;
    if (unit.status === status) return machineView(doc, now);
    unit.status = status;
    const unitsJson = JSON.stringify(units);
    const result = await machines.updateOne({ _id: doc._id, removedAt: null, unitsRev: doc.unitsRev }, { $set: { unitsJson }, $inc: { unitsRev: 1 } });
    if (result.matchedCount === 1) return machineView({ ...doc, unitsJson, unitsRev: doc.unitsRev + 1 }, now);
  }
  throw new AppError('CONFLICT', 'MACHINE_BUSY', 'The machine changed while this was saved; try again.');
}

/**
 * Removes a machine: its stake starts its lockup first (stake.ts), then its credential is refused
 * from the next call on (401 MACHINE_CREDENTIAL_REVOKED).
 */
export async function removeMachine(db: Db, ownerId: ObjectId, id: string, now: Date): Promise<void> {
  const filter = ownedFilter(ownerId, id);
  if (!(await machinesCollection(db).findOne(filter, { projection: { _id: 1 } }))) throw machineNotFound();
  await releaseStakeOnRemoval(db, filter._id, now);
  const result = await machinesCollection(db).updateOne(filter, { $set: { removedAt: now } });
  if (result.matchedCount === 0) throw machineNotFound();
}

/** The runner's own unregister: the same as the owner removing it. */
export async function unregisterMachine(db: Db, machineId: ObjectId, now: Date): Promise<void> {
  const filter = { _id: machineId, removedAt: null };
  if (!(await machinesCollection(db).findOne(filter, { projection: { _id: 1 } }))) throw machineRevoked();
  await releaseStakeOnRemoval(db, machineId, now);
  const result = await machinesCollection(db).updateOne(filter, { $set: { removedAt: now } });
  if (result.matchedCount === 0) throw machineRevoked();
}
