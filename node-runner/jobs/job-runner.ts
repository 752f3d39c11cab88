import type { HeldJob } from '../../server/jobs/runner-protocol';
import type { Clock } from '../clock';
import type { JobApi } from './job-api';
import type { JobEvent, JobOutcome } from './job-events';
import { executeJob } from './job-executor';
import type { JobTrainer } from './job-trainer';

export interface JobRunnerOptions {
  readonly api: JobApi;
  /** Made on the first job and kept (a Dawn device, a torch process); closed by close(). */
  readonly makeTrainer: () => Promise<JobTrainer>;
  readonly clock?: Clock;
  /** Ctrl-C: the running job ends its epoch's checkpoint and is handed back; no new job starts. */
  readonly stopSignal: AbortSignal;
  readonly progressEveryMs?: number;
  readonly onEvent: (event: JobEvent) => void;
}

/**
 * Runs the jobs the heartbeat says this machine holds, one at a time (one trainer: one GPU device
 * or one torch process). A job the platform stops listing is dropped at once; a lease already run
 * here (completed, handed back, lost, failed) is not run again.
 */
export class JobRunner {
  private readonly queue: HeldJob[] = [];
  private readonly seen = new Set<string>();
  /** Leases run here that ended without completing or going back (lost, failed): handed back if a heartbeat still lists them. */
  private readonly ended = new Map<string, HeldJob>();
  private current: { job: HeldJob; drop: AbortController } | null = null;
  private loop: Promise<void> | null = null;
  private trainer: Promise<JobTrainer> | null = null;

  constructor(private readonly options: JobRunnerOptions) {}

  /** The leases in a heartbeat's answer (undefined: the answer says nothing about jobs). */
  offer(jobs: readonly HeldJob[] | undefined): void {
    if (!jobs) return;
    const listed = new Set(jobs.map(leaseKey));
    if (this.current && !listed.has(leaseKey(this.current.job))) this.current.drop.abort();
    for (let i = this.queue.length - 1; i >= 0; i--) if (!listed.has(leaseKey(this.queue[i]!))) this.queue.splice(i, 1);
    for (const job of jobs) {
      // Still ours on the platform, but this machine no longer runs it (dropped after the platform
      // was unreachable, or a failure report that never landed): heartbeats would renew the lease
      // for ever, so give it back once and let another machine resume it. A refusal means it was not ours.
      const ended = this.ended.get(leaseKey(job));
      if (!ended) continue;
      this.ended.delete(leaseKey(job));
      void this.options.api.handBack({ jobId: ended.jobId, epoch: ended.epoch }).catch(() => undefined);
    }
    if (this.options.stopSignal.aborted) return;
    for (const job of jobs) {
      if (this.seen.has(leaseKey(job))) continue;
      this.seen.add(leaseKey(job));
      this.queue.push(job);
    }
    this.loop ??= this.drain().finally(() => (this.loop = null));
  }

  /** The running job is no longer this machine's (e.g. its credential was revoked): stop it, start nothing more. */
  dropAll(): void {
    this.queue.length = 0;
    this.current?.drop.abort();
  }

  get busy(): boolean {
    return this.current !== null;
  }

  /** Resolves when no job is running (after Ctrl-C: once the running one is handed back). */
  async idle(): Promise<void> {
    while (this.loop) await this.loop;
  }

  async close(): Promise<void> {
    await this.idle();
    const trainer = await this.trainer?.catch(() => null);
    await trainer?.close();
  }

  private async drain(): Promise<void> {
    for (let job = this.queue.shift(); job && !this.options.stopSignal.aborted; job = this.queue.shift()) {
      const drop = new AbortController();
      this.current = { job, drop };
      try {
        const outcome = await this.run(job, drop.signal);
        if (outcome === 'lost' || outcome === 'failed') this.ended.set(leaseKey(job), job);
      } finally {
        this.current = null;
      }
    }
  }

  private async run(job: HeldJob, dropSignal: AbortSignal): Promise<JobOutcome> {
    let trainer: JobTrainer;
    try {
      this.trainer ??= this.options.makeTrainer();
      trainer = await this.trainer;
    } catch (error) {
      this.trainer = null;
      const reason = `This machine could not start its trainer: ${error instanceof Error ? error.message : String(error)}`;
      this.options.onEvent({ type: 'failed', jobId: job.jobId, code: 'TRAINER_UNAVAILABLE', reason });
      await this.options.api.fail({ jobId: job.jobId, epoch: job.epoch, reason: reason.slice(0, 500) }).catch(() => undefined);
      return 'failed';
    }
    return executeJob(job, {
      api: this.options.api,
      trainer,
      stopSignal: this.options.stopSignal,
      dropSignal,
      onEvent: this.options.onEvent,
      ...(this.options.clock ? { clock: this.options.clock } : {}),
      ...(this.options.progressEveryMs !== undefined ? { progressEveryMs: this.options.progressEveryMs } : {}),
    });
  }
}

function leaseKey(job: Pick<HeldJob, 'jobId' | 'epoch'>): string {
  return `${job.jobId}:${job.epoch}`;
}
