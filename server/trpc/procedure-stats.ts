// Per-procedure call counts, errors and latency for the admin health page: in memory, per process,
// bounded (one hour of minute buckets per procedure, a fixed latency histogram per bucket), so
// recording a call is a few array writes and never touches the database.

export const STATS_MINUTES = 60;
/** Histogram bucket i holds latencies up to LATENCY_BASE_MS × LATENCY_GROWTH^i (the last holds everything above). */
const LATENCY_BASE_MS = 0.05;
const LATENCY_GROWTH = 1.25;
const LATENCY_BUCKETS = 64;
const MINUTE_MS = 60_000;

interface Bucket {
  minute: number;
  calls: number;
  errors: number;
  /** INTERNAL_SERVER_ERROR: our faults, as opposed to refused input or access. */
  serverErrors: number;
  latency: Uint32Array;
}

export interface ProcedureMinute {
  /** Start of the minute, ms since epoch. */
  at: number;
  calls: number;
  errors: number;
  serverErrors: number;
  p99Ms: number | null;
}

export interface ProcedureSummary {
  path: string;
  calls: number;
  errors: number;
  serverErrors: number;
  errorRate: number;
  p50Ms: number | null;
  p99Ms: number | null;
  minutes: ProcedureMinute[];
}

export function latencyBucketOf(ms: number): number {
  if (!(ms > LATENCY_BASE_MS)) return 0;
  return Math.min(LATENCY_BUCKETS - 1, Math.ceil(Math.log(ms / LATENCY_BASE_MS) / Math.log(LATENCY_GROWTH)));
}

/** The upper bound of a histogram bucket: a percentile is reported as the bound it falls under (at most 25% high). */
export function latencyBoundOf(bucket: number): number {
  return LATENCY_BASE_MS * LATENCY_GROWTH ** bucket;
}

function percentile(histogram: Uint32Array, total: number, p: number): number | null {
  if (total === 0) return null;
  const rank = Math.ceil(total * p);
  let seen = 0;
  for (let i = 0; i < histogram.length; i++) {
    seen += histogram[i]!;
    if (seen >= rank) return Math.round(latencyBoundOf(i) * 1000) / 1000;
  }
  return latencyBoundOf(histogram.length - 1);
}

export class ProcedureStats {
  private readonly byPath = new Map<string, Bucket[]>();

  record(path: string, ms: number, error: string | null, now = Date.now()): void {
    const minute = Math.floor(now / MINUTE_MS) * MINUTE_MS;
    let ring = this.byPath.get(path);
    if (!ring) this.byPath.set(path, (ring = []));
    const slot = (minute / MINUTE_MS) % STATS_MINUTES;
    let bucket = ring[slot];
    if (!bucket || bucket.minute !== minute) ring[slot] = bucket = { minute, calls: 0, errors: 0, serverErrors: 0, latency: new Uint32Array(LATENCY_BUCKETS) };
    bucket.calls += 1;
    if (error) bucket.errors += 1;
    if (error === 'INTERNAL_SERVER_ERROR') bucket.serverErrors += 1;
    bucket.latency[latencyBucketOf(ms)]! += 1;
  }

  /** The last hour per procedure, busiest first, each with its minutes oldest first. */
  summary(now = Date.now()): ProcedureSummary[] {
    const since = Math.floor(now / MINUTE_MS) * MINUTE_MS - (STATS_MINUTES - 1) * MINUTE_MS;
    const out: ProcedureSummary[] = [];
    for (const [path, ring] of this.byPath) {
      const buckets = ring.filter((b): b is Bucket => b !== undefined && b.minute >= since).sort((a, b) => a.minute - b.minute);
      if (buckets.length === 0) continue;
      const all = new Uint32Array(LATENCY_BUCKETS);
      let calls = 0;
      let errors = 0;
      let serverErrors = 0;
      for (const b of buckets) {
        calls += b.calls;
        errors += b.errors;
        serverErrors += b.serverErrors;
        for (let i = 0; i < LATENCY_BUCKETS; i++) all[i]! += b.latency[i]!;
      }
      out.push({
        path,
        calls,
        errors,
        serverErrors,
        errorRate: errors / calls,
        p50Ms: percentile(all, calls, 0.5),
        p99Ms: percentile(all, calls, 0.99),
        minutes: buckets.map((b) => ({ at: b.minute, calls: b.calls, errors: b.errors, serverErrors: b.serverErrors, p99Ms: percentile(b.latency, b.calls, 0.99) })),
      });
    }
    return out.sort((a, b) => b.calls - a.calls || (a.path < b.path ? -1 : 1));
  }
}

/** One recorder per process (a global slot, so a re-imported bundle records into the same one). */
export function procedureStats(): ProcedureStats {
  const slot = globalThis as unknown as { __cyxwizProcedureStats?: ProcedureStats };
  return (slot.__cyxwizProcedureStats ??= new ProcedureStats());
}
