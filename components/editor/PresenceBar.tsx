'use client';

import type { Awareness } from 'y-protocols/awareness';
import { followStoreFor, type Peer, type RoomStatus } from '@/collab/client';
import { useFollowTarget } from './use-follow';

const STATUS_TEXT: Record<RoomStatus, string> = {
  connecting: 'Connecting…',
  connected: 'Live',
  offline: 'Offline: your edits are kept and will sync when you reconnect',
  // Access removed, or a change the server refused: the alert under the header says which.
  denied: 'Disconnected',
};

/**
 * Who else is here, and whether this tab is live. Each person is a button: pressing it makes this
 * tab's canvas follow their view (their first tab, when they have several); pressing it again stops.
 */
export function PresenceBar({ peers, status, role, awareness }: { peers: readonly Peer[]; status: RoomStatus; role: string; awareness: Awareness | null }) {
  const people = new Map<string, Peer['user'] & { clientId: number }>();
  for (const p of peers) if (!people.has(p.user.id)) people.set(p.user.id, { ...p.user, clientId: p.clientId });
  const following = useFollowTarget(awareness);
  return (
    <div className="presence-bar">
      <span className={`status status-${status}`} role="status" data-testid="room-status">
        {STATUS_TEXT[status]}
      </span>
      {role === 'viewer' ? <span className="badge">View only</span> : null}
      <ul className="avatars" aria-label="People in this model">
        {[...people.values()].map((u) => (
          <li key={u.id}>
            <button
              type="button"
              className={`avatar${following?.userId === u.id ? ' following' : ''}`}
              style={{ background: u.color, ['--peer-color' as string]: u.color }}
              title={`Follow ${u.name}`}
              aria-label={`Follow ${u.name}`}
              aria-pressed={following?.userId === u.id}
              disabled={!awareness}
              onClick={() => awareness && followStoreFor(awareness).toggle({ clientId: u.clientId, userId: u.id })}
            >
              {u.name.slice(0, 1).toUpperCase()}
            </button>
          </li>
        ))}
      </ul>
    </div>
  );
}
