'use client';

import { useCallback, useMemo, useSyncExternalStore } from 'react';
import type * as Y from 'yjs';
import { listNodes } from '@/collab/doc';
import { layerLabels } from '@/compute/graph';

/** Layer names by node id as people see them (their own label, or "Dense 2"), live with the document. */
export function useLayerNames(doc: Y.Doc): ReadonlyMap<string, string> {
  const subscribe = useCallback(
    (changed: () => void) => {
      doc.on('afterAllTransactions', changed);
      return () => doc.off('afterAllTransactions', changed);
    },
    [doc],
  );
  // A string snapshot compares by value, so nothing re-renders while names stay the same.
  const snapshot = useCallback(() => JSON.stringify([...layerLabels(listNodes(doc))]), [doc]);
  const key = useSyncExternalStore(subscribe, snapshot, snapshot);
  return useMemo(() => new Map(JSON.parse(key) as [string, string][]), [key]);
}
