import { useSyncExternalStore } from 'react';
import type { NetworkForm } from './network-form';

/**
 * "Continue on the network": the Runs list hands a saved run to the network form (a sibling in the
 * editor's dock) through this small store, so the form opens prefilled with the run as its
 * starting point. One request at a time; each has its own number so the same run can be asked twice.
 */
export interface NetworkStartRun {
  readonly id: string;
  readonly name: string;
  /** The run's dataset as it was saved ('builtin:…', 'ds:<id>' or a stored id); null for a local file. */
  readonly datasetId: string | null;
  readonly config: Record<string, unknown>;
  /** The saved Adam checkpoint's step (network jobs train with Adam; the job resumes there); null: its weights with a fresh optimizer. */
  readonly checkpointStep: number | null;
}

export interface NetworkStartRequest {
  readonly modelId: string;
  readonly run: NetworkStartRun;
  readonly seq: number;
}

let current: NetworkStartRequest | null = null;
let seq = 0;
const listeners = new Set<() => void>();

export function continueOnNetwork(modelId: string, run: NetworkStartRun): void {
  current = { modelId, run, seq: ++seq };
  for (const l of listeners) l();
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The latest request for this model, or null. */
export function useNetworkStartRequest(modelId: string): NetworkStartRequest | null {
  const request = useSyncExternalStore(subscribe, () => current, () => null);
  return request && request.modelId === modelId ? request : null;
}

/** The dataset choice id (dataset-choice.ts) the run trained on. */
export function runDatasetChoice(datasetId: string | null): string | null {
  if (!datasetId) return null;
  return datasetId.startsWith('builtin:') || datasetId.startsWith('ds:') ? datasetId : `ds:${datasetId}`;
}

/** The network form with the run's batch size, learning rate and seed (as the run trained); the rest as it was. */
export function formFromRun(form: NetworkForm, run: NetworkStartRun): NetworkForm {
  const c = run.config;
  const whole = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? String(v) : null);
  const lr = (c['optimizer'] as { lr?: unknown } | undefined)?.lr;
  return {
    ...form,
    batchSize: whole(c['batchSize']) ?? form.batchSize,
    learningRate: typeof lr === 'number' && Number.isFinite(lr) && lr > 0 ? String(lr) : form.learningRate,
    seed: whole(c['seed']) ?? form.seed,
  };
}
