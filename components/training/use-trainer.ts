import { useSyncExternalStore } from 'react';
import { TrainerClient, type TrainerSnapshot } from './trainer-client';

/**
 * One training worker per tab, owned by whoever subscribes: subscribing (React's commit phase)
 * creates it, the last unsubscribe terminates it on the next tick, so StrictMode's
 * unmount/remount keeps the same worker and a closed editor stops its run.
 */
let shared: TrainerClient | null = null;
let users = 0;
let disposeTimer: ReturnType<typeof setTimeout> | null = null;

function subscribe(listener: () => void): () => void {
  users++;
  if (disposeTimer) clearTimeout(disposeTimer);
  disposeTimer = null;
  if (!shared) {
    shared = TrainerClient.create();
    queueMicrotask(listener);
  }
  return () => {
    users--;
    if (users > 0) return;
    disposeTimer = setTimeout(() => {
      disposeTimer = null;
      if (users > 0) return;
      shared?.destroy();
      shared = null;
    }, 0);
  };
}

const getShared = () => shared;
const getNull = () => null;

export function useTrainerClient(): TrainerClient | null {
  return useSyncExternalStore(subscribe, getShared, getNull);
}

const EMPTY: TrainerSnapshot = { probe: null, run: null };
const noSubscription = () => () => {};
const emptySnapshot = () => EMPTY;

export function useTrainerSnapshot(client: TrainerClient | null): TrainerSnapshot {
  return useSyncExternalStore(client?.subscribe ?? noSubscription, client?.getSnapshot ?? emptySnapshot, emptySnapshot);
}
