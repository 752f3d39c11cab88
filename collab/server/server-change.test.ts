import { ObjectId, type Db } from 'mongodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addNodes, listNodes } from '../doc';
import { useTestDatabase } from '../../server/testing/test-db';
import { DocumentTooLargeError } from './document-size';
import { connectClient, insertModel, startCollabForTest, ticketFor, waitFor } from './testing';

let db: Db;
let collab: Awaited<ReturnType<typeof startCollabForTest>>;
const owner = new ObjectId();

beforeAll(async () => {
  ({ db } = await useTestDatabase('collab_server_change'));
  collab = await startCollabForTest(db, { writeBatchMs: 5, maxDocumentBytes: 8 * 1024 });
});
afterAll(() => collab.close());

const layers = (n: number, prefix: string) => Array.from({ length: n }, (_, i) => ({ id: `${prefix}-${i}`, type: 'Dense', position: { x: i * 10, y: 0 }, params: { units: i + 1 } }));

describe('a change made by the server', () => {
  it('reaches a connected client and says whether anything changed', async () => {
    const modelId = await insertModel(db, owner);
    const client = connectClient(collab.url, modelId, ticketFor(modelId, owner, 'owner'));
    try {
      await waitFor(() => client.provider.synced, 5000, 'synced');
      expect(await collab.collab.changeDocument(modelId, (doc) => addNodes(doc, layers(2, 'server')), 'test')).toBe(true);
      await waitFor(() => listNodes(client.doc).length === 2, 5000, 'the change arrives');
      expect(await collab.collab.changeDocument(modelId, () => undefined, 'test')).toBe(false);
    } finally {
      client.provider.destroy();
    }
  });

  it('is refused before it touches the document when it would pass the size cap', async () => {
    const modelId = await insertModel(db, owner);
    const before = await collab.collab.documentState(modelId);
    await expect(collab.collab.changeDocument(modelId, (doc) => addNodes(doc, layers(400, 'big')), 'test')).rejects.toBeInstanceOf(DocumentTooLargeError);
    expect(await collab.collab.documentState(modelId)).toEqual(before);
  });
});
