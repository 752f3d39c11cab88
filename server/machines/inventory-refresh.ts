import type { Db } from 'mongodb';
import { AppError } from '../errors/app-error';
import type { MachineCaller } from './authenticate';
import { machinesCollection } from './collections';
import { inventoryHash } from './inventory-hash';
import { unitsOf } from './machine-codec';
import { machineOf } from './read';
import type { Inventory, UnitView } from './schema';
import { refreshUnits } from './units';
import { unitView } from './views';

const ATTEMPTS = 3;

/**
 * Stores a changed inventory and the units it implies, keeping what each unchanged unit had
 * (status, counters). Conditional on unitsRev so an owner's pause in between is never lost: a
 * conflict reads again and retries.
 */
export async function refreshInventory(db: Db, machine: MachineCaller, inventory: Inventory): Promise<{ units: UnitView[] }> {
  for (let attempt = 0; attempt < ATTEMPTS; attempt++) {
    const doc = await machineOf(db, machine.id);
    const units = refreshUnits(machine.id, inventory, unitsOf(doc));
    const result = await machinesCollection(db).updateOne(
      { _id: machine.id, removedAt: null, unitsRev: doc.unitsRev },
      { $set: { os: inventory.os, backend: inventory.backend ?? null, inventoryJson: JSON.stringify(inventory), inventoryHash: inventoryHash(inventory), unitsJson: JSON.stringify(units) }, $inc: { unitsRev: 1 } },
    );
    if (result.matchedCount === 1) return { units: units.map(unitView) };
  }
  throw new AppError('CONFLICT', 'MACHINE_BUSY', 'The machine changed while its inventory was stored; send it again.');
}
