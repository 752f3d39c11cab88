import { describe, expect, it } from 'vitest';
import { latencyBoundOf, latencyBucketOf, ProcedureStats, STATS_MINUTES } from './procedure-stats';

describe('procedure stats', () => {
  it('counts calls and errors per minute and reports p50/p99 as the bound of their latency bucket', () => {
    const stats = new ProcedureStats();
    const t0 = Date.UTC(2026, 0, 1, 10, 0, 5);
    for (let i = 0; i < 98; i++) stats.record('a.q', 2, null, t0);
    stats.record('a.q', 400, 'BAD_REQUEST', t0 + 60_000);
    stats.record('a.q', 400, 'INTERNAL_SERVER_ERROR', t0 + 60_000);
    const [a] = stats.summary(t0 + 60_000);
    expect(a).toMatchObject({ path: 'a.q', calls: 100, errors: 2, serverErrors: 1, errorRate: 0.02 });
    expect(a!.p50Ms).toBeCloseTo(latencyBoundOf(latencyBucketOf(2)), 3);
    expect(a!.p99Ms).toBeCloseTo(latencyBoundOf(latencyBucketOf(400)), 3);
    expect(a!.minutes.map((m) => m.calls)).toEqual([98, 2]);
    expect(latencyBoundOf(latencyBucketOf(2))).toBeGreaterThanOrEqual(2);
    expect(latencyBoundOf(latencyBucketOf(2))).toBeLessThan(2 * 1.25 + 1e-9);
  });

  it('forgets minutes older than the hour, and a reused slot starts from zero', () => {
    const stats = new ProcedureStats();
    const t0 = Date.UTC(2026, 0, 1, 10, 0, 0);
    stats.record('b.q', 1, null, t0);
    stats.record('b.q', 1, null, t0 + STATS_MINUTES * 60_000);
    const [b] = stats.summary(t0 + STATS_MINUTES * 60_000);
    expect(b!.calls).toBe(1);
    expect(stats.summary(t0 + 3 * STATS_MINUTES * 60_000)).toEqual([]);
  });
});
