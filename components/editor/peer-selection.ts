'use client';

import { createContext, useContext } from 'react';
import type { Peer } from '@/collab/client';

/** Node id -> colours of the peers who have it selected. */
export const PeerSelectionContext = createContext<ReadonlyMap<string, readonly string[]>>(new Map());

export function usePeerSelection(nodeId: string): readonly string[] {
  return useContext(PeerSelectionContext).get(nodeId) ?? [];
}

export function peerSelectionMap(peers: readonly Peer[]): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const peer of peers) {
    for (const id of peer.selection) map.set(id, [...(map.get(id) ?? []), peer.user.color]);
  }
  return map;
}
