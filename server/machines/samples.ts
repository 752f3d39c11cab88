import type { Metrics, UtilisationSample } from './schema';

/**
 * The utilisation chart keeps one sample per SAMPLE_SLOT_MS in SAMPLES_KEPT slots (10 minutes at
 * the runner's 10 s), written in place by the slot's key, so the machine document stays bounded
 * however long it runs (FerretDB v1 ignores $push's $slice, so a capped array is no option).
 * A sample is one short string, "atMs,cpu%,gpu%,ramBytes": FerretDB v1 keeps a type schema per
 * field of every document, and sixty small objects doubled what a heartbeat's update cost
 * (measured: 6.8 ms against 3.4 ms per findAndModify on PostgreSQL).
 */
export const SAMPLES_KEPT = 60;
export const SAMPLE_SLOT_MS = 10_000;

export function sampleSlot(at: Date): string {
  return `s${Math.floor(at.getTime() / SAMPLE_SLOT_MS) % SAMPLES_KEPT}`;
}

/** The busiest GPU stands for the machine's GPU utilisation (null without GPUs). */
export function encodeSample(metrics: Metrics, at: Date): string {
  const gpu = metrics.gpus.length ? Math.max(...metrics.gpus.map((g) => g.utilPercent)) : '';
  return `${at.getTime()},${metrics.cpuPercent},${gpu},${metrics.ramUsedBytes}`;
}

export function decodeSample(text: string): { atMs: number; sample: UtilisationSample } | null {
  const [at, cpu, gpu, ram] = text.split(',');
  const atMs = Number(at);
  if (!Number.isFinite(atMs)) return null;
  return { atMs, sample: { at: new Date(atMs).toISOString(), cpuPercent: Number(cpu), gpuPercent: gpu ? Number(gpu) : null, ramUsedBytes: Number(ram) } };
}

/** The samples of the last SAMPLES_KEPT slots, oldest first; a slot's occupant from a lap ago is left out. */
export function recentSamples(samples: Record<string, string>, now: Date): UtilisationSample[] {
  const since = now.getTime() - SAMPLES_KEPT * SAMPLE_SLOT_MS;
  return Object.values(samples)
    .map(decodeSample)
    .filter((s): s is NonNullable<typeof s> => s !== null && s.atMs > since)
    .sort((a, b) => a.atMs - b.atMs)
    .map((s) => s.sample);
}
