import { Binary, type Db } from 'mongodb';
import { MAX_STORED_BINARY_BYTES } from './limits';

interface UpdateDoc {
  _id: string;
  modelId: string;
  seq: number;
  update: Binary;
  at: Date;
}

interface SnapshotDoc {
  _id: string;
  state: Binary;
  /** Every update with seq <= seqThrough is contained in `state`. */
  seqThrough: number;
  updatedAt: Date;
}

export interface StoredDocument {
  snapshot: Uint8Array | null;
  updates: Uint8Array[];
  lastSeq: number;
}

/**
 * Yjs updates in MongoDB as an append-only log plus a compacted snapshot. Every write touches one
 * document (FerretDB v1 has no transactions): a crash between writing a snapshot and trimming the
 * log only leaves updates that loading skips.
 */
export class YjsStore {
  constructor(private readonly db: Db) {}

  private get updates() {
    return this.db.collection<UpdateDoc>('yjsUpdates');
  }

  private get snapshots() {
    return this.db.collection<SnapshotDoc>('yjsSnapshots');
  }

  async load(modelId: string): Promise<StoredDocument> {
    const snapshot = await this.snapshots.findOne({ _id: modelId });
    const seqThrough = snapshot?.seqThrough ?? 0;
    const updates = await this.updates.find({ modelId, seq: { $gt: seqThrough } }).sort({ seq: 1 }).toArray();
    return {
      snapshot: snapshot ? new Uint8Array(snapshot.state.buffer) : null,
      updates: updates.map((u) => new Uint8Array(u.update.buffer)),
      lastSeq: updates.at(-1)?.seq ?? seqThrough,
    };
  }

  async append(modelId: string, seq: number, update: Uint8Array): Promise<void> {
    assertStorable(update, `update ${seq} of ${modelId}`);
    // _id makes a replayed append idempotent instead of a duplicate.
    await this.updates.updateOne(
      { _id: `${modelId}:${seq}` },
      { $setOnInsert: { modelId, seq, update: new Binary(update), at: new Date() } },
      { upsert: true },
    );
  }

  async compact(modelId: string, state: Uint8Array, seqThrough: number): Promise<void> {
    assertStorable(state, `the snapshot of ${modelId}`);
    await this.snapshots.updateOne(
      { _id: modelId },
      { $set: { state: new Binary(state), seqThrough, updatedAt: new Date() } },
      { upsert: true },
    );
    await this.updates.deleteMany({ modelId, seq: { $lte: seqThrough } });
  }

  async countUpdates(modelId: string): Promise<number> {
    return this.updates.countDocuments({ modelId });
  }

  async remove(modelId: string): Promise<void> {
    await this.snapshots.deleteOne({ _id: modelId });
    await this.updates.deleteMany({ modelId });
  }
}

/** Refused here with a clear message rather than by the database with a BSON size error. */
function assertStorable(bytes: Uint8Array, what: string): void {
  if (bytes.byteLength > MAX_STORED_BINARY_BYTES) {
    throw new Error(`${what} is ${bytes.byteLength} bytes, over the ${MAX_STORED_BINARY_BYTES} a stored document may hold`);
  }
}
