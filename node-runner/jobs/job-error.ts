/**
 * Why a job cannot go on, with a stable code. `fail` errors are reported to the platform with
 * runner.jobFail (the reason is shown to the job's owner); `lost` ones mean the lease is gone, so
 * nothing more is said about the job.
 */
export class JobError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly disposition: 'fail' | 'lost' = 'fail',
  ) {
    super(message);
    this.name = 'JobError';
  }
}
