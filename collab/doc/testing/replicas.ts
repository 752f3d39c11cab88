import * as Y from 'yjs';

/** Test support: simulated peers exchanging Yjs updates the way the sync server relays them. */

export const REMOTE = Symbol('remote');

/** Sends everything `from` has that `to` lacks (a diff against to's state vector). */
export function deliver(from: Y.Doc, to: Y.Doc): void {
  Y.applyUpdate(to, Y.encodeStateAsUpdate(from, Y.encodeStateVector(to)), REMOTE);
}

/** Full mesh exchange until every replica has every update, in the given order. */
export function syncAll(...docs: Y.Doc[]): void {
  for (let round = 0; round < 2; round++) {
    for (const a of docs) for (const b of docs) if (a !== b) deliver(a, b);
  }
}

/** Records each update a doc emits so tests can deliver them one by one, in any order. */
export function recordUpdates(doc: Y.Doc): Uint8Array[] {
  const log: Uint8Array[] = [];
  doc.on('update', (u: Uint8Array, origin: unknown) => {
    if (origin !== REMOTE) log.push(u);
  });
  return log;
}

export function replicaOf(source: Y.Doc): Y.Doc {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, Y.encodeStateAsUpdate(source), REMOTE);
  return doc;
}
