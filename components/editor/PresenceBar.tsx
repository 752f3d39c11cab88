'use client';

import type { Peer, RoomStatus } from '@/collab/client';

const STATUS_TEXT: Record<RoomStatus, string> = {
  connecting: 'Connecting…',
  connected: 'Live',
  offline: 'Offline: your edits are kept and will sync when you reconnect',
  // Access removed, or a change the server refused: the alert under the header says which.
  denied: 'Disconnected',
};

/** Who else is here, and whether this tab is live. */
export function PresenceBar({ peers, status, role }: { peers: readonly Peer[]; status: RoomStatus; role: string }) {
  const people = [...new Map(peers.map((p) => [p.user.id, p.user])).values()];
  return (
    <div className="presence-bar">
      <span className={`status status-${status}`} role="status" data-testid="room-status">
        {STATUS_TEXT[status]}
      </span>
      {role === 'viewer' ? <span className="badge">View only</span> : null}
      <ul className="avatars" aria-label="People in this model">
        {people.map((u) => (
          <li key={u.id} className="avatar" style={{ background: u.color }} title={u.name} aria-label={u.name}>
            {u.name.slice(0, 1).toUpperCase()}
          </li>
        ))}
      </ul>
    </div>
  );
}
