'use client';

import { useSyncExternalStore } from 'react';
import type { Awareness } from 'y-protocols/awareness';
import { ProgressBar } from './ProgressBar';
import { peerRunsStoreFor } from './room-training';

const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);
const noSubscription = () => () => {};
const none = () => [] as const;

/** Read-only view of the runs other people in the room are training right now. */
export function PeerRuns({ awareness }: { awareness: Awareness | null }) {
  const store = awareness ? peerRunsStoreFor(awareness) : null;
  const peers = useSyncExternalStore(store?.subscribe ?? noSubscription, store?.getSnapshot ?? none, none);
  if (peers.length === 0) return null;
  return (
    <section className="peer-runs" aria-label="Training in this room">
      <h3>Training in this room</h3>
      <ul>
        {peers.map((p) => (
          <li key={p.clientId} data-testid="peer-run">
            <p>
              <span className="peer-dot" style={{ background: p.color }} aria-hidden="true" /> <strong>{p.name}</strong> · {p.training.status} · {p.training.dataset} ({p.training.backend})
            </p>
            <ProgressBar
              label={`${p.name}'s training progress`}
              step={p.training.step}
              totalSteps={p.training.totalSteps}
              detail={`Epoch ${Math.min(p.training.epoch + 1, Math.max(1, p.training.epochs))}/${p.training.epochs} · step ${p.training.step}/${p.training.totalSteps} · loss ${p.training.loss?.toFixed(4) ?? '—'} · val acc ${pct(p.training.valAccuracy)}`}
            />
          </li>
        ))}
      </ul>
    </section>
  );
}
