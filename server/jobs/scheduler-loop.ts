import { ObjectId, type Db } from 'mongodb';
import { runJobEffects } from './effects';
import { expireLeases, type ExpiredLease } from './expire-leases';
import { scheduleOnce, type ScheduleResult } from './schedule-once';
import { releaseOrphanClaims } from './unit-claims';

/** The issue: the scheduler runs on every new job and machine event "and at least every 5 s". */
export const SCHEDULE_INTERVAL_MS = 5_000;
/** Orphan claims are rare (a crash mid-assignment) and the sweep reads every claim's job: every 12th pass, once a minute. */
export const ORPHAN_SWEEP_EVERY = 12;
/**
 * The lease expiry sweep runs at most this often by the loop's clock (the first pass always runs it):
 * its read fetches every held job (a range on leaseExpiresAt is filtered by FerretDB v1 after the
 * status equality: 1.2 s a read with 1,500 held jobs on a loaded machine), and a loop poked by every
 * submit and freed unit would pay that on each pass. A lease lasts 30 s, so a second's delay is noise.
 */
export const EXPIRE_EVERY_MS = 1_000;

export interface SchedulerPass {
  expired: ExpiredLease[];
  scheduled: ScheduleResult;
  releasedClaims: string[];
}

export interface SchedulerLoop {
  /** Asks for a pass now (a job was queued, a machine came online or freed a unit); answers the pass that covers it. */
  poke(): Promise<SchedulerPass>;
  /** Stops the timer; a pass under way finishes first. */
  stop(): Promise<void>;
}

export interface SchedulerLoopOptions {
  intervalMs?: number;
  now?: () => Date;
  /** A pass that throws (the database went away) is reported here and the loop carries on. */
  onError?: (error: unknown) => void;
}

/**
 * One process's scheduler: passes of expireLeases (at most every EXPIRE_EVERY_MS, and their ledger effects), then scheduleOnce (and now and then
 * releaseOrphanClaims), never two at once in this process; pokes during a pass are answered by
 * one more pass right after it. Any number of processes may run one (scheduleOnce's writes are conditional).
 */
export function startSchedulerLoop(db: Db, options: SchedulerLoopOptions = {}): SchedulerLoop {
  const now = options.now ?? (() => new Date());
  let passes = 0;
  let expiredAt = -Infinity;
  let running: Promise<SchedulerPass> | null = null;
  let queued: Promise<SchedulerPass> | null = null;
  let stopped = false;

  async function pass(): Promise<SchedulerPass> {
    const at = now();
    const sweep = at.getTime() - expiredAt >= EXPIRE_EVERY_MS;
    if (sweep) expiredAt = at.getTime();
    const expired = sweep ? await expireLeases(db, at) : [];
    // The timeout's slash and failed result go to the ledger now; one that fails is reported, and the job carries on.
    for (const lease of expired) {
      await runJobEffects(db, new ObjectId(lease.jobId), { ...lease, at }, at).catch((error: unknown) => options.onError?.(error));
    }
    const releasedClaims = passes++ % ORPHAN_SWEEP_EVERY === 0 ? await releaseOrphanClaims(db, at) : [];
    const scheduled = await scheduleOnce(db, at);
    return { expired, scheduled, releasedClaims };
  }

  function poke(): Promise<SchedulerPass> {
    if (!running) {
      running = pass().finally(() => {
        running = null;
      });
      return running;
    }
    // One pass waits behind the current one and answers every poke made meanwhile.
    queued ??= running.catch(() => undefined).then(() => {
      queued = null;
      return poke();
    });
    return queued;
  }

  const timer = setInterval(() => {
    if (!stopped) poke().catch((error: unknown) => options.onError?.(error));
  }, options.intervalMs ?? SCHEDULE_INTERVAL_MS);
  timer.unref();

  return {
    poke,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await Promise.allSettled([running, queued]);
    },
  };
}
