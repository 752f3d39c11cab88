/**
 * FerretDB v1 applies an update as: read the document, change it in Go, write the whole document
 * back, with nothing stopping another update of the same document in between. Two concurrent
 * updates of one document therefore lose one of them, $inc and "conditional" updates included
 * (measured on FerretDB 1.24 on PostgreSQL: 50 concurrent `$inc: {n: 1}` left n at 3). Inserts
 * (unique _id) and deletes are exact. So the writers of a document that several requests update
 * queue here, in this process: exact for a one-process deployment, and harmless on MongoDB.
 */
const holder = globalThis as unknown as { __cyxwizWriteQueues?: Map<string, Promise<void>> };
// Shared through globalThis: Next's bundles and the collab server must queue on the same map.
const tails = (holder.__cyxwizWriteQueues ??= new Map());

/**
 * Runs `write` once every earlier call with the same key has settled. Never call it again with the
 * same key from inside `write`: that waits for itself.
 */
export function queued<T>(key: string, write: () => Promise<T>): Promise<T> {
  const run = (tails.get(key) ?? Promise.resolve()).then(write);
  const tail = run.then(
    () => undefined,
    () => undefined,
  );
  tails.set(key, tail);
  void tail.then(() => {
    if (tails.get(key) === tail) tails.delete(key);
  });
  return run;
}
