import { EventEmitter } from 'node:events';

/**
 * In-process wake-ups for job watchers (jobs.watch): whoever changes a job here (a progress report,
 * a checkpoint, a transition) calls notifyJobChanged; watchers re-read the job and its new progress
 * points from the database. The database stays the truth: a watcher also re-reads on a timer, so a
 * change made by another process (another web server, a scheduler) reaches it too, only later.
 */
const bus = new EventEmitter();
// One listener per open job page; a busy job may have many watchers.
bus.setMaxListeners(0);

export function notifyJobChanged(jobId: string): void {
  bus.emit(jobId);
}

/** Calls `listener` on every change of the job until the returned function is called. */
export function onJobChanged(jobId: string, listener: () => void): () => void {
  bus.on(jobId, listener);
  return () => bus.off(jobId, listener);
}
