import { Binary, ObjectId, type Db } from 'mongodb';
import { signUp } from '../../server/auth/users';
import { previewsCollection } from '../../server/datasets/previews';
import { uploadDataset } from '../../server/datasets/upload';
import { addCollaborator } from '../../server/models/collaborators';
import { insertModel } from '../../server/models/lifecycle';
import { displayName, type Person } from '../../server/models/members';
import { findTemplate, layoutFor } from '../../server/models/templates';

/** Runs `task(i)` for i in [from, to) with at most `concurrency` in flight. */
export async function inParallel(from: number, to: number, concurrency: number, task: (i: number) => Promise<unknown>): Promise<void> {
  let next = from;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < to) await task(next++);
    }),
  );
}

export const BENCH_PASSWORD = 'bench-password-2026';

export async function benchUser(db: Db, i: number): Promise<Person> {
  const created = await signUp(db, { email: `bench${i}@bench.cyxwiz.dev`, username: `bench-${i}`, password: BENCH_PASSWORD }, 'user');
  return { _id: new ObjectId(created.id), email: created.email, username: created.username ?? undefined };
}

const TEMPLATES = ['mlp', 'cnn', 'residual'] as const;

/** A model as people make them: from a template, with its graph and canvas layout. */
export async function benchModel(db: Db, owner: Person, i: number, datasetId?: string): Promise<ObjectId> {
  const graph = findTemplate(TEMPLATES[i % TEMPLATES.length]!).build();
  return insertModel(db, { owner, name: `Model ${i}`, graph, layout: layoutFor(graph), ...(datasetId ? { datasetId } : {}) });
}

export async function shareWith(db: Db, modelId: ObjectId, owner: Person, person: Person): Promise<void> {
  await addCollaborator(db, { _id: modelId }, displayName(owner), person, 'editor');
}

/** A small real CSV (10 features, 3 classes, 200 rows) uploaded through the app's own path. */
export async function benchDataset(db: Db, owner: Person, i: number): Promise<string> {
  const header = [...Array.from({ length: 10 }, (_, c) => `f${c}`), 'label'].join(',');
  const rows = Array.from({ length: 200 }, (_, r) => [...Array.from({ length: 10 }, (_, c) => ((r * 31 + c * 17 + i) % 997) / 10), r % 3].join(','));
  const bytes = new TextEncoder().encode(`${header}\n${rows.join('\n')}\n`);
  const doc = await uploadDataset(db, owner._id, { name: `Dataset ${i}`, data: { filename: `dataset-${i}.csv`, bytes } });
  return doc._id.toHexString();
}

/**
 * Another person's copy of an uploaded dataset: its record and preview with a new id, owner and name,
 * sharing the stored file. Uploading each one would spend most of the seeding in the parser.
 */
export async function cloneDataset(db: Db, sourceId: string, owner: Person, i: number): Promise<void> {
  const source = await db.collection('datasets').findOne({ _id: new ObjectId(sourceId) });
  const preview = await previewsCollection(db).findOne({ _id: new ObjectId(sourceId) });
  if (!source || !preview) throw new Error(`dataset ${sourceId} has no record or preview to copy`);
  const _id = new ObjectId();
  await previewsCollection(db).insertOne({ ...preview, _id, ownerId: owner._id });
  await db.collection('datasets').insertOne({ ...source, _id, ownerId: owner._id, name: `Dataset ${i}` });
}

/** Collaborative edits as the collab server stores them: an append-only log per model. */
export async function benchYjsUpdates(db: Db, modelIds: ObjectId[], count: number, firstSeq: number): Promise<void> {
  const updates = db.collection('yjsUpdates');
  const batch: Record<string, unknown>[] = [];
  for (let i = 0; i < count; i++) {
    const modelId = modelIds[i % modelIds.length]!.toHexString();
    const seq = firstSeq + i; // unique across calls; the log only needs increasing numbers per model
    // About the size of a node drag: a few hundred bytes.
    batch.push({ _id: `${modelId}:${seq}`, modelId, seq, update: new Binary(new Uint8Array(200 + (i % 300))), at: new Date() });
    if (batch.length === 1000) await updates.insertMany(batch.splice(0));
  }
  if (batch.length) await updates.insertMany(batch);
}
