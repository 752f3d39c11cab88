import { ObjectId, type Db } from 'mongodb';
import { cyx } from '../programs';
import { getLedger } from './ledger';
import { collections } from './db/collections';
import { signUp } from './auth/users';
import type { Graph } from '../compute/graph';
import { insertModel } from './models/lifecycle';
import { layoutFor } from './models/templates';

export const DEMO_ADMIN = { email: 'admin@demo.cyxwiz.dev', username: 'demo-admin', password: 'cyxwiz-admin-2026' };
export const DEMO_USER = { email: 'user@demo.cyxwiz.dev', username: 'demo-user', password: 'cyxwiz-user-2026' };

/** A small MLP for the demo user, stored as the model's derived JSON graph. */
export function sampleMlpGraph(): Graph {
  return {
    nodes: [
      { id: 'input', type: 'Input', params: { shape: [64] } },
      { id: 'dense1', type: 'Dense', params: { units: 64 } },
      { id: 'relu1', type: 'ReLU', params: {} },
      { id: 'dense2', type: 'Dense', params: { units: 10 } },
      { id: 'labels', type: 'Labels', params: { encoding: 'class-index' } },
      { id: 'loss', type: 'SoftmaxCrossEntropy', params: {} },
    ],
    edges: [
      { id: 'e1', source: 'input', sourceHandle: 'out', target: 'dense1', targetHandle: 'in' },
      { id: 'e2', source: 'dense1', sourceHandle: 'out', target: 'relu1', targetHandle: 'in' },
      { id: 'e3', source: 'relu1', sourceHandle: 'out', target: 'dense2', targetHandle: 'in' },
      { id: 'e4', source: 'dense2', sourceHandle: 'out', target: 'loss', targetHandle: 'logits' },
      { id: 'e5', source: 'labels', sourceHandle: 'out', target: 'loss', targetHandle: 'labels' },
    ],
  };
}

async function ensureUser(db: Db, user: typeof DEMO_USER, role: 'user' | 'admin') {
  const { users } = collections(db);
  const existing = await users.findOne({ email: user.email });
  if (existing) return existing;
  const created = await signUp(db, user, role);
  return { _id: new ObjectId(created.id), email: created.email, username: created.username ?? undefined };
}

/** What the demo accounts start with: enough to stake a machine and pay for jobs. */
export const DEMO_GRANT = cyx(1_000);

/** A one-time grant through the ledger; its key makes every later start a no-op. */
async function grant(db: Db, admin: { _id: ObjectId }, to: { _id: ObjectId }): Promise<void> {
  const ledger = await getLedger(db);
  const result = await ledger.submit({ kind: 'mint', key: `seed:welcome:${to._id.toHexString()}`, at: Date.now(), by: admin._id.toHexString(), to: to._id.toHexString(), amount: DEMO_GRANT, reason: 'Demo welcome grant' });
  if (!result.outcome.ok) throw new Error(`The demo grant was refused: ${result.outcome.message}`);
}

/** Demo accounts, their CYX and a sample model; idempotent, so every start can call it. */
export async function seedDemo(db: Db): Promise<void> {
  const admin = await ensureUser(db, DEMO_ADMIN, 'admin');
  const owner = await ensureUser(db, DEMO_USER, 'user');
  await grant(db, admin, admin);
  await grant(db, admin, owner);
  if (!(await collections(db).models.findOne({ ownerId: owner._id }, { projection: { _id: 1 } }))) {
    await insertModel(db, {
      owner,
      name: 'Digits MLP (sample)',
      description: 'A two-layer perceptron for the 8x8 digits dataset.',
      graph: sampleMlpGraph(),
      layout: layoutFor(sampleMlpGraph()),
      // Trains out of the box: the panel starts on the built-in digits it is sized for.
      datasetId: 'builtin:digits',
    });
  }
}
