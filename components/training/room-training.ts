import type { Awareness } from 'y-protocols/awareness';
import type { LocalRun, TrainerClient } from './trainer-client';

/**
 * Awareness field `training`: a compact summary of the run this client is training, so everyone in
 * the room sees its progress live. The collab server only overwrites `user`; this passes through.
 * Remote values are untrusted input and are validated field by field.
 */
export interface TrainingPresence {
  readonly runId: string;
  readonly status: string;
  readonly backend: string;
  readonly dataset: string;
  readonly epoch: number;
  readonly epochs: number;
  readonly step: number;
  readonly totalSteps: number;
  readonly loss: number | null;
  readonly accuracy: number | null;
  readonly valAccuracy: number | null;
}

export interface PeerRun {
  readonly clientId: number;
  readonly name: string;
  readonly color: string;
  readonly training: TrainingPresence;
}

const PUBLISH_INTERVAL_MS = 250;

export function presenceOf(run: LocalRun): TrainingPresence {
  const round = (x: number | null) => (x === null ? null : Math.round(x * 10_000) / 10_000);
  return {
    runId: run.runId,
    status: run.status,
    backend: run.backend,
    dataset: run.datasetLabel.slice(0, 80),
    epoch: run.epoch,
    epochs: run.epochs,
    step: run.step,
    totalSteps: run.totalSteps,
    loss: round(run.loss),
    accuracy: round(run.accuracy),
    valAccuracy: round(run.valAccuracy),
  };
}

const num = (x: unknown): number | null => (typeof x === 'number' && Number.isFinite(x) ? x : null);
const str = (x: unknown, max = 80): string => (typeof x === 'string' ? x.slice(0, max) : '');

export function readTrainingPresence(raw: unknown): TrainingPresence | null {
  if (!raw || typeof raw !== 'object') return null;
  const t = raw as Record<string, unknown>;
  const runId = str(t['runId'], 64);
  if (!runId) return null;
  return {
    runId,
    status: str(t['status'], 20) || 'running',
    backend: str(t['backend'], 10),
    dataset: str(t['dataset']),
    epoch: Math.max(0, num(t['epoch']) ?? 0),
    epochs: Math.max(0, num(t['epochs']) ?? 0),
    step: Math.max(0, num(t['step']) ?? 0),
    totalSteps: Math.max(0, num(t['totalSteps']) ?? 0),
    loss: num(t['loss']),
    accuracy: num(t['accuracy']),
    valAccuracy: num(t['valAccuracy']),
  };
}

/**
 * Mirrors the local run into awareness at most 4 times a second (the last state is always sent,
 * so peers see the final status). Returns the unsubscribe function.
 */
export function publishTraining(client: TrainerClient, awareness: Awareness): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  let last = 0;
  let sentKey = '';
  const send = () => {
    timer = null;
    last = performance.now();
    const run = client.getSnapshot().run;
    const value = run ? presenceOf(run) : null;
    const key = JSON.stringify(value);
    if (key === sentKey) return;
    sentKey = key;
    awareness.setLocalStateField('training', value);
  };
  const onChange = () => {
    if (timer) return;
    const wait = Math.max(0, PUBLISH_INTERVAL_MS - (performance.now() - last));
    timer = setTimeout(send, wait);
  };
  const unsubscribe = client.subscribe(onChange);
  onChange();
  return () => {
    unsubscribe();
    if (timer) clearTimeout(timer);
    if (awareness.getLocalState()) awareness.setLocalStateField('training', null);
  };
}

/** External store of the other clients' runs, for useSyncExternalStore. */
export class PeerRunsStore {
  private peers: readonly PeerRun[] = [];
  private key = '[]';
  private readonly listeners = new Set<() => void>();

  constructor(private readonly awareness: Awareness) {
    awareness.on('change', this.refresh);
    this.refresh();
  }

  readonly subscribe = (listener: () => void): (() => void) => {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  };

  readonly getSnapshot = (): readonly PeerRun[] => this.peers;

  destroy(): void {
    this.awareness.off('change', this.refresh);
    this.listeners.clear();
  }

  private readonly refresh = (): void => {
    const next: PeerRun[] = [];
    this.awareness.getStates().forEach((raw, clientId) => {
      if (clientId === this.awareness.clientID) return;
      const state = raw as { user?: { name?: unknown; color?: unknown }; training?: unknown };
      const training = readTrainingPresence(state.training);
      if (!training) return;
      next.push({ clientId, name: str(state.user?.name) || 'Someone', color: str(state.user?.color, 20) || '#64748b', training });
    });
    next.sort((a, b) => a.clientId - b.clientId);
    const key = JSON.stringify(next);
    if (key === this.key) return;
    this.key = key;
    this.peers = next;
    for (const l of [...this.listeners]) l();
  };
}

const stores = new WeakMap<Awareness, PeerRunsStore>();

export function peerRunsStoreFor(awareness: Awareness): PeerRunsStore {
  let store = stores.get(awareness);
  if (!store) stores.set(awareness, (store = new PeerRunsStore(awareness)));
  return store;
}
