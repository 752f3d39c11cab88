import type { Db, ObjectId } from 'mongodb';
import type { Inventory, UnitStatus } from './schema';

export interface UnitDoc {
  id: string;
  kind: 'gpu' | 'cpu';
  index: number;
  device: string;
  vramBytes: number;
  vramOffered: number;
  vramReserved: number;
  status: UnitStatus;
  tasksCompleted: number;
  earningsMicro: string;
}

/**
 * A provider's machine with its compute units inside: a machine has at most 33 units, and keeping
 * them here lets a heartbeat be one update that also answers their statuses.
 *
 * The nested parts (units, inventory, metrics, samples) are stored as JSON text (machine-codec.ts):
 * FerretDB v1 keeps a type schema for every field of every document and rewrites it all on each
 * update, and as objects they doubled what a heartbeat cost the database (measured on PostgreSQL,
 * findAndModify: 3.0 ms of database CPU with objects, 1.5 ms with text). Nothing queries inside them.
 */
export interface MachineDoc {
  _id: ObjectId;
  ownerId: ObjectId;
  name: string;
  /** SHA-256 (hex) of the machine credential; the credential itself is never stored. */
  credentialHash: string;
  /** Copied out of the inventory: the list shows it without reading the rest. */
  os: Inventory['os'];
  /** JSON of the Inventory. */
  inventoryJson: string;
  /** Copied out of the inventory like `os`: the backend the runner reported (absent on older records). */
  backend?: Inventory['backend'] | null;
  inventoryHash: string;
  pricePerHourMicro: string;
  stakeMicro: string;
  maintenance: boolean;
  /** JSON of UnitDoc[], in index order. */
  unitsJson: string;
  /** Bumped by every change to the units, so each read-modify-write of them is conditional on it. */
  unitsRev: number;
  registeredAt: Date;
  lastSeenAt: Date | null;
  /** The earliest time the next heartbeat is accepted: the rate limit is this field's condition. */
  nextHeartbeatAt: Date;
  /** JSON of the last heartbeat's Metrics, null before the first. */
  metricsJson: string | null;
  /** The job the last heartbeat said it holds (busy while set). */
  jobId: string | null;
  /** Recent utilisation for the chart by time slot, each an encoded sample (samples.ts): at most SAMPLES_KEPT keys. */
  samples: Record<string, string>;
  jobs: number;
  jobsSucceeded: number;
  /** Set while an administrator's ban stands (server/machines/admin-actions.ts); absent on machines never banned. */
  bannedAt?: Date | null;
  banReason?: string | null;
  /** When its runner stopped cleanly (runner.signOff): offline from then until the next heartbeat clears it. */
  signedOffAt?: Date | null;
  /** Set by machines.remove: the credential is refused from then on (401 MACHINE_CREDENTIAL_REVOKED). */
  removedAt: Date | null;
  /** Every lease this machine holds lasts at least until then: each heartbeat moves it (server/jobs/held-jobs.ts); absent before the first. */
  leasesUntil?: Date | null;
}

/** A device-code login (OAuth device flow): the runner holds the device code, the person types the user code. */
export interface DeviceCodeDoc {
  /** SHA-256 (hex) of the device code. */
  _id: string;
  userCode: string;
  createdAt: Date;
  expiresAt: Date;
  approvedBy: ObjectId | null;
  usedAt: Date | null;
}

export function machinesCollection(db: Db) {
  return db.collection<MachineDoc>('machines');
}

export function deviceCodesCollection(db: Db) {
  return db.collection<DeviceCodeDoc>('machineDeviceCodes');
}

/** The machines indexes; server/db/indexes.ts creates them at start-up with the rest. */
export async function ensureMachineIndexes(db: Db): Promise<void> {
  await Promise.all([
    // Every runner call finds its machine by this, so it is an equality on an indexed top-level field.
    machinesCollection(db).createIndex({ credentialHash: 1 }, { unique: true, name: 'credential_unique' }),
    deviceCodesCollection(db).createIndex({ userCode: 1 }, { unique: true, name: 'user_code_unique' }),
    deviceCodesCollection(db).createIndex({ expiresAt: 1 }, { name: 'expiry' }),
  ]);
}
