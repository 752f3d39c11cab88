import { formatDuration } from '../training/ProgressBar';

/** Only the shapes this file reads; the API's views have more. */
type Status = 'CREATED' | 'QUEUED' | 'ESCROWED' | 'ASSIGNED' | 'RUNNING' | 'COMPLETED' | 'FAILED' | 'CANCELLED' | 'PAYMENT_RELEASED' | 'REFUNDED';

export const STATUS_LABELS: Record<Status, string> = {
  CREATED: 'Created',
  QUEUED: 'Locking the escrow',
  ESCROWED: 'Waiting for a machine',
  ASSIGNED: 'Assigned to a machine',
  RUNNING: 'Running',
  COMPLETED: 'Completed (paying the provider)',
  FAILED: 'Failed (refunding)',
  CANCELLED: 'Cancelled',
  PAYMENT_RELEASED: 'Completed',
  REFUNDED: 'Refunded',
};

const CANCELLABLE: readonly Status[] = ['QUEUED', 'ESCROWED', 'ASSIGNED', 'RUNNING'];
const DONE: readonly Status[] = ['COMPLETED', 'PAYMENT_RELEASED'];

export function canCancel(status: Status): boolean {
  return CANCELLABLE.includes(status);
}

export function isDone(status: Status): boolean {
  return DONE.includes(status);
}

export interface PointLike {
  seq: number;
  step: number;
  loss: number | null;
  accuracy: number | null;
  valLoss: number | null;
  valAccuracy: number | null;
}

/** The most points the page keeps for its charts; past it, every other old point is dropped (the shape stays). */
export const MAX_CHART_POINTS = 4_000;

/**
 * Points already shown plus an update's, by seq (a reconnect may resend some), in order. Past
 * MAX_CHART_POINTS the older half is thinned to every other point, so a long job's chart stays
 * light and its newest points stay exact.
 */
export function mergePoints<P extends PointLike>(shown: readonly P[], incoming: readonly P[]): P[] {
  if (incoming.length === 0) return shown as P[];
  const last = shown.at(-1)?.seq ?? 0;
  const fresh = incoming.every((p) => p.seq > last);
  let merged: P[];
  if (fresh) merged = [...shown, ...incoming];
  else {
    const bySeq = new Map(shown.map((p) => [p.seq, p]));
    for (const p of incoming) bySeq.set(p.seq, p);
    merged = [...bySeq.values()].sort((a, b) => a.seq - b.seq);
  }
  if (merged.length <= MAX_CHART_POINTS) return merged;
  const half = Math.floor(merged.length / 2);
  return [...merged.slice(0, half).filter((_, i) => i % 2 === 0), ...merged.slice(half)];
}

type Series = (readonly [number, number])[];

/** Loss and accuracy series by step, as the tab's LiveCharts draws them (training per report, validation where reported). */
export function chartSeries(points: readonly PointLike[]): { trainLoss: Series; trainAcc: Series; valLoss: Series; valAcc: Series } {
  const pick = (key: 'loss' | 'accuracy' | 'valLoss' | 'valAccuracy'): Series => points.flatMap((p) => (p[key] === null ? [] : [[p.step, p[key]] as const]));
  return { trainLoss: pick('loss'), trainAcc: pick('accuracy'), valLoss: pick('valLoss'), valAcc: pick('valAccuracy') };
}

/**
 * Steps in one of the job's epochs (its charts' epoch axis): from the latest validation report (the
 * runner validates when an epoch ends, so its step is whole epochs), else the job's total steps over
 * its epochs; null while neither can say.
 */
export function jobStepsPerEpoch(job: { totalSteps: number | null; config: { epochs: number } | null }, points: readonly (PointLike & { epochIndex: number })[]): number | null {
  for (let i = points.length - 1; i >= 0; i--) {
    const p = points[i]!;
    if ((p.valLoss !== null || p.valAccuracy !== null) && p.step > 0 && p.epochIndex >= 0) return p.step / (p.epochIndex + 1);
  }
  if (!job.totalSteps || !job.config || !(job.config.epochs > 0)) return null;
  return job.totalSteps / job.config.epochs;
}

/** "step 30 of 40 · 512 samples/s · about 4s left", from the job's latest report. */
export function progressLine(job: { status: Status; totalSteps: number | null; latest: { step: number; samplesPerSecond: number | null; etaSeconds: number | null } | null }): string {
  if (isDone(job.status)) return job.totalSteps ? `all ${job.totalSteps.toLocaleString()} steps done` : 'done';
  if (!job.latest) return job.status === 'RUNNING' || job.status === 'ASSIGNED' ? 'starting…' : 'not started';
  const parts = [`step ${job.latest.step.toLocaleString()}${job.totalSteps ? ` of ${job.totalSteps.toLocaleString()}` : ''}`];
  if (job.latest.samplesPerSecond !== null) parts.push(`${Math.round(job.latest.samplesPerSecond).toLocaleString()} samples/s`);
  if (job.latest.etaSeconds !== null && job.status === 'RUNNING') parts.push(`about ${formatDuration(job.latest.etaSeconds * 1000)} left`);
  return parts.join(' · ');
}

const EVENT_TEXT: Record<string, string> = {
  approve: 'Approved: locking the escrow',
  escrow_locked: 'Escrow locked',
  escrow_refused: 'Escrow refused',
  assign: 'Assigned',
  start: 'Started on the machine',
  checkpoint_verified: 'Checkpoint verified',
  checkpoint_invalid: 'Checkpoint did not verify: the machine was slashed and the job went back to the queue',
  lease_expired: 'The machine stopped answering: back to the queue from the last verified checkpoint',
  hand_back: 'Handed back by the machine: back to the queue from the last verified checkpoint',
  fail: 'Failed on the machine',
  complete: 'Completed',
  cancel: 'Cancelled',
  admin_cancel: 'Cancelled by an administrator, the rest refunded',
  admin_requeue: 'Requeued by an administrator: back to the queue from the last verified checkpoint',
  admin_invalidate: 'Results marked invalid by an administrator: the machine slashed, the rest refunded',
  settled: 'Settled',
};

/** One line of the job's timeline. */
export function timelineText(entry: { type: string; machineId: string | null; reason: string | null }, machineName?: (id: string) => string): string {
  const base = EVENT_TEXT[entry.type] ?? entry.type;
  if (entry.type === 'assign' && entry.machineId) return `${base} to ${machineName?.(entry.machineId) ?? entry.machineId}`;
  return entry.reason ? `${base}: ${entry.reason}` : base;
}
