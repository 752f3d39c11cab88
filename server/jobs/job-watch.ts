import type { Db, ObjectId } from 'mongodb';
import { modelRole } from '../models/access';
import { jobProgressCollection, jobsCollection, type JobDoc, type JobProgressDoc } from './collections';
import { onJobChanged } from './job-change-bus';
import { jobNotFound } from './job-errors';
import { needsSettlement, type JobStatus } from './job-machine';
import { jobView, type JobLatestView, type JobView } from './job-views';

/** The most progress points one update carries; a watcher far behind gets them in several updates, back to back. */
export const WATCH_POINTS_PER_UPDATE = 500;
/** Re-read at least this often: another process (another web server, the scheduler) may have changed the job. */
export const WATCH_REREAD_MS = 2_000;
/** How often a watcher who is not the owner has their access to the model checked again (an unshare ends the stream). */
export const WATCH_ACCESS_RECHECK_MS = 15_000;

/** One progress report as the watcher streams it: the view the list shows, plus its order in the job's stream. */
export interface JobProgressPoint extends JobLatestView {
  seq: number;
}

export interface JobWatchUpdate {
  job: JobView;
  /** Progress points after the previous update's (seq ascending), at most WATCH_POINTS_PER_UPDATE. */
  points: JobProgressPoint[];
  /** The highest seq sent so far: a reconnect resumes after it. */
  lastSeq: number;
  /** Whether the job will not change again (settled): the stream ends after this update. */
  final: boolean;
}

export interface WatchOptions {
  /** Send points with seq above this (0: all of them). */
  afterSeq: number;
  /** false: the job's view only (the editor's strip of a model's jobs does not chart them). */
  withPoints: boolean;
  signal?: AbortSignal;
  rereadMs?: number;
  accessRecheckMs?: number;
}

const SETTLED: readonly JobStatus[] = ['PAYMENT_RELEASED', 'REFUNDED', 'FAILED', 'CANCELLED'];

export function isFinal(job: JobDoc): boolean {
  return SETTLED.includes(job.status) && !needsSettlement(job);
}

export function progressPoint(p: JobProgressDoc): JobProgressPoint {
  return {
    seq: p.seq,
    step: p.step,
    epochIndex: p.epochIndex,
    loss: p.loss,
    accuracy: p.accuracy,
    valLoss: p.valLoss,
    valAccuracy: p.valAccuracy,
    samplesPerSecond: p.samplesPerSecond,
    etaSeconds: p.etaSeconds,
    machineId: p.machineId,
    at: p.at.toISOString(),
  };
}

/**
 * Resolves on the next job change notification, after `ms`, or when `signal` aborts, whichever is
 * first. Listening starts at creation, so a change that lands while the caller is still reading
 * the database is not missed.
 */
function wakeUps(jobId: string, signal: AbortSignal | undefined) {
  let pending = false;
  let wake: (() => void) | null = null;
  const fire = () => {
    pending = true;
    wake?.();
  };
  const stop = onJobChanged(jobId, fire);
  signal?.addEventListener('abort', fire);
  return {
    next(ms: number): Promise<void> {
      if (pending) {
        pending = false;
        return Promise.resolve();
      }
      return new Promise<void>((resolve) => {
        const timer = setTimeout(done, ms);
        function done() {
          clearTimeout(timer);
          wake = null;
          pending = false;
          resolve();
        }
        wake = done;
      });
    },
    close() {
      stop();
      signal?.removeEventListener('abort', fire);
      wake?.();
    },
  };
}

/**
 * jobs.watch: the job's view and its new progress points, as an async generator. The caller has
 * already been authorised (job-access.ts requireJob 'view', with `job` the document it read). Yields
 * at once, then whenever something changed: woken by notifyJobChanged in this process, and re-reading
 * every WATCH_REREAD_MS for changes made elsewhere. Ends when the job is settled (after saying so),
 * when the signal aborts (the client went away), or with JOB_NOT_FOUND when the job is gone or a
 * collaborator lost access to its model.
 */
export async function* watchJob(db: Db, job: JobDoc, userId: ObjectId, options: WatchOptions): AsyncGenerator<JobWatchUpdate, void, undefined> {
  const jobId = job._id;
  const rereadMs = options.rereadMs ?? WATCH_REREAD_MS;
  const recheckMs = options.accessRecheckMs ?? WATCH_ACCESS_RECHECK_MS;
  const owner = job.ownerId.equals(userId);
  const wake = wakeUps(jobId.toHexString(), options.signal);
  let lastSeq = options.afterSeq;
  let lastSent: string | null = null;
  let checkedAt = Date.now();
  try {
    while (!options.signal?.aborted) {
      if (!owner && Date.now() - checkedAt >= recheckMs) {
        if (!(await modelRole(db, job.modelId.toHexString(), userId.toHexString()))) throw jobNotFound();
        checkedAt = Date.now();
      }
      const [doc, points] = await Promise.all([
        jobsCollection(db).findOne({ _id: jobId }),
        options.withPoints
          ? jobProgressCollection(db).find({ jobId, seq: { $gt: lastSeq } }).sort({ seq: 1 }).limit(WATCH_POINTS_PER_UPDATE).toArray()
          : Promise.resolve([]),
      ]);
      if (!doc) throw jobNotFound();
      const view = jobView(doc);
      const text = JSON.stringify(view);
      // Points first land in jobProgress and then in the job's summary: a final job still sends every point.
      const final = isFinal(doc) && points.length < WATCH_POINTS_PER_UPDATE;
      if (points.length > 0 || text !== lastSent || final) {
        lastSeq = points.at(-1)?.seq ?? lastSeq;
        lastSent = text;
        yield { job: view, points: points.map(progressPoint), lastSeq, final };
      }
      if (final) return;
      // A full page means more are waiting: read on without sleeping.
      if (points.length < WATCH_POINTS_PER_UPDATE) await wake.next(rereadMs);
    }
  } finally {
    wake.close();
  }
}
