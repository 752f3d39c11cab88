import type { Db, ObjectId } from 'mongodb';
import { machinesCollection } from './collections';

/**
 * runner.signOff: the machine's runner is stopping cleanly (Ctrl-C). The machine reads as offline
 * from now until its next heartbeat clears the mark (deriveStatus), so the scheduler leases nothing more to it,
 * not even the job it is about to hand back, which it would only lose by timeout (and be slashed
 * for) once the runner has exited. Without it the machine would look online for the whole window.
 */
export async function signOffMachine(db: Db, machineId: ObjectId, now: Date): Promise<{ status: 'offline' }> {
  await machinesCollection(db).updateOne({ _id: machineId, removedAt: null }, { $set: { signedOffAt: now } });
  return { status: 'offline' };
}
