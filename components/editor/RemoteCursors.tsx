'use client';

import { ViewportPortal } from '@xyflow/react';
import type { Peer } from '@/collab/client';

/** Other people's pointers, drawn in canvas coordinates so they line up at any zoom. */
export function RemoteCursors({ peers }: { peers: readonly Peer[] }) {
  return (
    <ViewportPortal>
      {peers.map((peer) =>
        peer.cursor ? (
          <div
            key={peer.clientId}
            className="remote-cursor"
            data-testid={`cursor-${peer.user.name}`}
            style={{ transform: `translate(${peer.cursor.x}px, ${peer.cursor.y}px)`, color: peer.user.color }}
          >
            <svg width="16" height="16" viewBox="0 0 16 16" aria-hidden="true">
              <path d="M0 0 L0 13 L4 9 L7 15 L9 14 L6 8 L11 8 Z" fill="currentColor" />
            </svg>
            <span className="remote-cursor-name" style={{ background: peer.user.color }}>
              {peer.user.name}
            </span>
          </div>
        ) : null,
      )}
    </ViewportPortal>
  );
}
