import { ObjectId, type Db } from 'mongodb';
import type { z } from 'zod';
import { AppError } from '../errors/app-error';
import { machinesCollection, type MachineDoc } from './collections';
import { newMachineCredential } from './credential';
import { inventoryHash } from './inventory-hash';
import type { RegisterInputSchema, UnitView } from './schema';
import { stakeForMachine } from './stake';
import { unitsFor, unitShapes } from './units';
import { unitView } from './views';

export const MAX_MACHINES_PER_OWNER = 50;

export type RegisterInput = z.infer<typeof RegisterInputSchema>;

/**
 * Registers a machine for its owner: stakes through the ledger first (a refusal stores nothing),
 * then stores the machine with its units; the credential is answered this once.
 */
export async function registerMachine(db: Db, ownerId: ObjectId, input: RegisterInput, now: Date): Promise<{ machineId: string; credential: string; units: UnitView[] }> {
  const machines = machinesCollection(db);
  const unitCount = unitShapes(input.inventory).length;
  const outside = input.offer.unitIndexes.find((i) => i >= unitCount);
  if (outside !== undefined) {
    throw new AppError('BAD_REQUEST', 'NO_SUCH_UNIT', `This machine has units 0 to ${unitCount - 1}; there is no unit ${outside} to offer.`, 'offer');
  }
  const active = await machines.countDocuments({ ownerId, removedAt: null });
  if (active >= MAX_MACHINES_PER_OWNER) {
    throw new AppError('BAD_REQUEST', 'TOO_MANY_MACHINES', `You can register at most ${MAX_MACHINES_PER_OWNER} machines. Remove one first.`);
  }
  const _id = new ObjectId();
  const stake = await stakeForMachine(db, { machineId: _id, ownerId, at: now });
  const { credential, hash } = newMachineCredential();
  const units = unitsFor(_id, input.inventory, input.offer.unitIndexes);
  const doc: MachineDoc = {
    _id,
    ownerId,
    name: input.name,
    credentialHash: hash,
    os: input.inventory.os,
    backend: input.inventory.backend ?? null,
    inventoryJson: JSON.stringify(input.inventory),
    inventoryHash: inventoryHash(input.inventory),
    pricePerHourMicro: input.pricePerHourMicro,
    stakeMicro: stake.toString(),
    maintenance: false,
    unitsJson: JSON.stringify(units),
    unitsRev: 0,
    registeredAt: now,
    lastSeenAt: null,
    nextHeartbeatAt: now,
    metricsJson: null,
    jobId: null,
    samples: {},
    jobs: 0,
    jobsSucceeded: 0,
    removedAt: null,
  };
  await machines.insertOne(doc);
  return { machineId: _id.toHexString(), credential, units: units.map(unitView) };
}
