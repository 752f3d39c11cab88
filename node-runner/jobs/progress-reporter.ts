import type { JobProgressAnswer, JobProgressInput, JobLeaseInput } from '../../server/jobs/runner-protocol';
import { classifyFailure, isLeaseLost } from '../api-failure';
import type { Clock } from '../clock';

type Progress = Omit<JobProgressInput, keyof JobLeaseInput>;

export interface ProgressReporterOptions {
  readonly report: (progress: Progress) => Promise<JobProgressAnswer>;
  readonly clock: Clock;
  readonly everyMs: number;
  /** keepGoing: false, or the lease refused: the job must stop. */
  readonly onLost: () => void;
}

/**
 * Sends training progress at most every `everyMs` without holding training up: one report in
 * flight at a time, the newest progress wins, an unreachable platform or a rate limit only skips
 * a report. An answer of keepGoing: false or a lost lease stops the job.
 */
export class ProgressReporter {
  private inFlight: Promise<void> | null = null;
  private lastSentAt = Number.NEGATIVE_INFINITY;

  constructor(private readonly options: ProgressReporterOptions) {}

  /** Sends this progress if the last report is old enough and none is in flight. */
  maybe(progress: Progress): void {
    if (this.inFlight || this.options.clock.now() - this.lastSentAt < this.options.everyMs) return;
    this.inFlight = this.send(progress).finally(() => (this.inFlight = null));
  }

  /** Sends this progress now (after any report in flight), e.g. at an epoch's end with its validation scores. */
  async now(progress: Progress): Promise<void> {
    await this.settle();
    await this.send(progress);
  }

  async settle(): Promise<void> {
    await this.inFlight;
  }

  private async send(progress: Progress): Promise<void> {
    this.lastSentAt = this.options.clock.now();
    try {
      const answer = await this.options.report(progress);
      if (!answer.keepGoing) this.options.onLost();
    } catch (error) {
      if (isLeaseLost(classifyFailure(error))) this.options.onLost();
    }
  }
}
