/**
 * Whether a write failed on a unique index. MongoDB and FerretDB's inserts answer E11000 (FerretDB
 * without naming the index); FerretDB v1's updates on PostgreSQL answer an InternalError carrying
 * PostgreSQL's unique-violation text instead. Callers that must know which index re-read.
 */
export function isDuplicateKeyError(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | null;
  if (e?.code === 11000) return true;
  return typeof e?.message === 'string' && /duplicate key value violates unique constraint|SQLSTATE 23505/.test(e.message);
}
