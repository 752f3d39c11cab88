import type { Db } from 'mongodb';
import { collabStats } from '../collab-bridge';
import { assignTimes, type AssignTimes } from './assign-times';
import { jobsCollection } from '../jobs/collections';
import { machinesCollection } from '../machines/collections';
import { onlineWindowMs } from '../machines/status';
import { collabTraffic } from '../models/collab-traffic';
import { procedureStats, type ProcedureSummary } from '../trpc/procedure-stats';
import { countLeasesExpiringSoon } from '../jobs/leases-expiring';

/** The runner's heartbeat procedure: its call rate is the heartbeat rate. */
export const HEARTBEAT_PATH = 'runner.heartbeat';
/** Leases expiring within this long count as "expiring" (a runner beats every 10 s). */
export const LEASE_SOON_MS = 30_000;
const RATE_WINDOW_MS = 60_000;

export interface HealthReport {
  at: number;
  database: { engine: string; version: string; latencyMs: number; dataBytes: number | null; storageBytes: number | null; collections: number | null };
  /** Null where this process runs no collaboration server (it runs in the HTTP server's process). */
  collaboration: { rooms: number; sockets: number; unloading: number } | null;
  /** Totals since the process started; the page's bytes/s is the difference between two readings. */
  collabBytes: { in: number; out: number };
  scheduler: { queued: number; escrowed: number; assigned: number; running: number; leasesExpiringSoon: number; timeToAssign: AssignTimes };
  /** Heartbeats since the start of the previous minute (windowSeconds ago), and their rate. */
  heartbeats: { counted: number; windowSeconds: number; perSecond: number };
  machinesOnline: number;
  /** Every procedure called in the last hour, with its minutes for the charts. */
  procedures: ProcedureSummary[];
}

async function databaseHealth(db: Db): Promise<HealthReport['database']> {
  const started = performance.now();
  await db.command({ ping: 1 });
  const latencyMs = Math.round((performance.now() - started) * 1000) / 1000;
  const [info, stats] = await Promise.all([
    db.admin().command({ buildInfo: 1 }).catch(() => ({}) as Record<string, unknown>),
    db.command({ dbStats: 1 }).catch(() => null),
  ]);
  // FerretDB answers buildInfo as MongoDB does and adds its own version under `ferretdb`.
  const ferret = (info as { ferretdb?: { version?: string }; ferretdbVersion?: string }).ferretdb?.version ?? (info as { ferretdbVersion?: string }).ferretdbVersion;
  const num = (v: unknown) => (typeof v === 'number' ? v : v && typeof v === 'object' && 'valueOf' in v ? Number(v.valueOf()) : null);
  return {
    engine: ferret ? 'FerretDB' : 'MongoDB',
    version: ferret ?? String((info as { version?: string }).version ?? 'unknown'),
    latencyMs,
    dataBytes: stats ? num(stats.dataSize) : null,
    storageBytes: stats ? num(stats.storageSize) : null,
    collections: stats ? num(stats.collections) : null,
  };
}

/**
 * Live figures for the health page. Database reads are equalities on indexed top-level fields
 * (job status) and ranges on top-level dates (lastSeenAt, leaseExpiresAt, then the held leases' machines by _id); the API figures come from
 * this process's in-memory recorder, so with several web processes each reports its own share.
 */
export async function healthReport(db: Db, now = new Date()): Promise<HealthReport> {
  const jobs = jobsCollection(db);
  const [database, queued, escrowed, assigned, running, leasesExpiringSoon, machinesOnline, timeToAssign] = await Promise.all([
    databaseHealth(db),
    jobs.countDocuments({ status: 'QUEUED' }),
    jobs.countDocuments({ status: 'ESCROWED' }),
    jobs.countDocuments({ status: 'ASSIGNED' }),
    jobs.countDocuments({ status: 'RUNNING' }),
    countLeasesExpiringSoon(db, now, LEASE_SOON_MS),
    machinesCollection(db).countDocuments({ removedAt: null, lastSeenAt: { $gte: new Date(now.getTime() - onlineWindowMs()) } }),
    assignTimes(db, now),
  ]);
  const procedures = procedureStats().summary(now.getTime());
  const beats = procedures.find((p) => p.path === HEARTBEAT_PATH);
  const windowStart = Math.floor(now.getTime() / RATE_WINDOW_MS) * RATE_WINDOW_MS - RATE_WINDOW_MS;
  const counted = (beats?.minutes ?? []).filter((m) => m.at >= windowStart).reduce((sum, m) => sum + m.calls, 0);
  const windowSeconds = (now.getTime() - windowStart) / 1000;
  const collab = collabStats();
  const bytes = collabTraffic();
  return {
    at: now.getTime(),
    database,
    collaboration: collab ? { rooms: collab.rooms, sockets: collab.connections, unloading: collab.unloading } : null,
    collabBytes: { in: bytes.bytesIn, out: bytes.bytesOut },
    scheduler: { queued, escrowed, assigned, running, leasesExpiringSoon, timeToAssign },
    heartbeats: { counted, windowSeconds, perSecond: Math.round((counted / windowSeconds) * 1000) / 1000 },
    machinesOnline,
    procedures,
  };
}
