import * as Y from 'yjs';

/**
 * Merges consecutive pending updates into as few appends as possible, none over `maxBytes`, so no
 * write comes near MongoDB's document limit. Returns null when one update alone is over the limit:
 * such an update can only be stored inside a snapshot.
 */
export function batchUpdates(updates: readonly Uint8Array[], maxBytes: number): Uint8Array[] | null {
  const groups: Uint8Array[][] = [];
  let group: Uint8Array[] = [];
  let groupBytes = 0;
  for (const update of updates) {
    if (update.byteLength > maxBytes) return null;
    if (groupBytes + update.byteLength > maxBytes && group.length > 0) {
      groups.push(group);
      group = [];
      groupBytes = 0;
    }
    group.push(update);
    groupBytes += update.byteLength;
  }
  if (group.length > 0) groups.push(group);
  return groups.flatMap((g) => {
    if (g.length === 1) return g;
    const merged = Y.mergeUpdates(g);
    // Merging normally shrinks updates; should it not, each of them is under the limit on its own.
    return merged.byteLength <= maxBytes ? [merged] : g;
  });
}
