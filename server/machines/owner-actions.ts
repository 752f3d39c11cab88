import { ObjectId, type Db, type UpdateFilter } from 'mongodb';
import { AppError } from '../errors/app-error';
import { machinesCollection, type MachineDoc } from './collections';
import { machineNotFound, ownedFilter } from './read';
import { machineRevoked } from './revoked';
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

/**
 * Pauses or resumes one unit. A unit's id names its machine and its place in the machine's units
 * (units.ts), so this is one conditional update on the machine's _id.
 */
export async function setUnitStatus(db: Db, ownerId: ObjectId, unitId: string, status: UnitStatus, now: Date): Promise<MachineView> {
  const notFound = new AppError('NOT_FOUND', 'UNIT_NOT_FOUND', 'No such compute unit.', 'unitId');
  const machineId = machineIdOfUnit(unitId);
  if (!machineId) throw notFound;
  const index = Number(unitId.slice(unitId.lastIndexOf('-u') + 2));
  const doc = await machinesCollection(db).findOneAndUpdate(
    { _id: new ObjectId(machineId), ownerId, removedAt: null, [`units.${index}.id`]: unitId },
    { $set: { [`units.${index}.status`]: status }, $inc: { unitsRev: 1 } },
    { returnDocument: 'after' },
  );
  if (!doc) throw notFound;
  return machineView(doc, now);
}

/** Removes a machine: its credential is refused from the next call on (401 MACHINE_CREDENTIAL_REVOKED). */
export async function removeMachine(db: Db, ownerId: ObjectId, id: string, now: Date): Promise<void> {
  const result = await machinesCollection(db).updateOne(ownedFilter(ownerId, id), { $set: { removedAt: now } });
  if (result.matchedCount === 0) throw machineNotFound();
}

/** The runner's own unregister: the same as the owner removing it. */
export async function unregisterMachine(db: Db, machineId: ObjectId, now: Date): Promise<void> {
  const result = await machinesCollection(db).updateOne({ _id: machineId, removedAt: null }, { $set: { removedAt: now } });
  if (result.matchedCount === 0) throw machineRevoked();
}
