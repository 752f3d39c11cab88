import { AppError } from '../errors/app-error';
import type { JobRefusalCode } from './job-machine';

export function jobNotFound(): AppError {
  return new AppError('NOT_FOUND', 'JOB_NOT_FOUND', 'No such job.', 'jobId');
}

/** The job machine's refusals, as people and runners read them; all say the job is not where the caller thought. */
export function jobRefused(code: JobRefusalCode, message: string): AppError {
  return new AppError('CONFLICT', code, message);
}

/** The caller named the version it decided on, and the job has moved since. */
export function jobChanged(expected: number): AppError {
  return new AppError('CONFLICT', 'JOB_CHANGED', `The job changed since version ${expected}, which this was decided on; read it again.`);
}

export function jobBusy(): AppError {
  return new AppError('CONFLICT', 'JOB_BUSY', 'The job kept changing while this was saved; try again.');
}
