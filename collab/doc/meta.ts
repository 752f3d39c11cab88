import type * as Y from 'yjs';
import { CollabDocError } from './errors';
import { SCHEMA_VERSION, metaMap, type MetaView } from './schema';

export interface MetaPatch {
  readonly name?: string;
  readonly description?: string;
}

/**
 * Edits model metadata in one transaction and stamps `updatedAt`. Each field is its own key, so
 * one person renaming while another edits the description keeps both.
 */
export function setMeta(doc: Y.Doc, patch: MetaPatch, origin: unknown = null, now: () => number = Date.now): void {
  for (const [k, v] of Object.entries(patch)) {
    if (v !== undefined && typeof v !== 'string') throw new CollabDocError('INVALID_VALUE', `meta.${k} must be a string`);
  }
  doc.transact(() => {
    const meta = metaMap(doc);
    if (patch.name !== undefined) meta.set('name', patch.name);
    if (patch.description !== undefined) meta.set('description', patch.description);
    meta.set('updatedAt', now());
    if (meta.get('schemaVersion') === undefined) meta.set('schemaVersion', SCHEMA_VERSION);
  }, origin);
}

export function readMeta(doc: Y.Doc): MetaView {
  const meta = metaMap(doc);
  const name = meta.get('name');
  const description = meta.get('description');
  const updatedAt = meta.get('updatedAt');
  const schemaVersion = meta.get('schemaVersion');
  return {
    name: typeof name === 'string' ? name : '',
    description: typeof description === 'string' ? description : '',
    updatedAt: typeof updatedAt === 'number' ? updatedAt : null,
    schemaVersion: typeof schemaVersion === 'number' ? schemaVersion : SCHEMA_VERSION,
  };
}
