'use client';

import { useCallback, useSyncExternalStore } from 'react';
import type { RoomConnection } from '@/collab/client';

/** Whether the room has delivered the document, so a blank canvas can say "loading" instead of "empty". */
export function useSynced(connection: RoomConnection): boolean {
  const { provider } = connection;
  const subscribe = useCallback(
    (listener: () => void) => {
      provider.on('sync', listener);
      return () => provider.off('sync', listener);
    },
    [provider],
  );
  const read = () => provider.synced;
  return useSyncExternalStore(subscribe, read, read);
}
