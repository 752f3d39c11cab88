import type { Db } from 'mongodb';
import { isDuplicateKeyError } from '../db/duplicate-key';
import { AppError } from '../errors/app-error';
import { parseJobId } from './apply-job-event';
import { jobProgressCollection, jobsCollection, type JobProgressDoc, type JobProgressSummary } from './collections';
import { applyWithEffects } from './effects';
import { notifyJobChanged } from './job-change-bus';
import { checkHeld, requireHeldJob, requireNotBanned } from './job-lease-guard';
import { recordJobRun } from './job-result-run';
import { readJobSpec, type FrozenJobSpec } from './job-spec';
import type { JobLeaseInput, JobProgressAnswer, JobProgressInput, JobSpec } from './runner-protocol';
import { leaseMs } from './schedule-once';

/** Progress reports of one job closer together than this are answered but not stored (the runner sends every few seconds). */
export const PROGRESS_MIN_INTERVAL_MS = 1_000;

async function specOf(db: Db, jobId: string): Promise<FrozenJobSpec> {
  const spec = await readJobSpec(db, parseJobId(jobId));
  if (!spec) throw new AppError('NOT_FOUND', 'JOB_SPEC_NOT_FOUND', `Job ${jobId} was made without a frozen spec, so no runner can train it.`, 'jobId');
  return spec;
}

/** runner.jobSpec: the frozen spec plus the lease's epoch and the checkpoint to resume from. */
export async function jobSpecFor(db: Db, machineId: string, input: JobLeaseInput): Promise<JobSpec> {
  const job = await requireHeldJob(db, machineId, input.jobId, input.epoch);
  const spec = await specOf(db, input.jobId);
  const last = job.lastCheckpoint ?? null;
  return { ...spec, jobId: input.jobId, epoch: input.epoch, startCheckpoint: last ? { sha256: last.sha256, step: last.step, bytes: last.bytes } : null };
}

/** runner.jobStart: ASSIGNED → RUNNING; a repeated start of the running job is answered the same. */
export async function startHeldJob(db: Db, machineId: string, input: JobLeaseInput, now: Date): Promise<{ status: 'RUNNING' }> {
  const job = await requireHeldJob(db, machineId, input.jobId, input.epoch);
  if (job.status === 'ASSIGNED') await applyWithEffects(db, job._id, { type: 'start', epoch: input.epoch }, now);
  notifyJobChanged(input.jobId);
  return { status: 'RUNNING' };
}

/**
 * runner.jobProgress: one conditional update of the job (the lease still this machine's with this
 * epoch, RUNNING, the last report at least PROGRESS_MIN_INTERVAL_MS old) sets JobDoc.progress and
 * renews the lease, without a transition; then the point is appended to jobProgress. seq is
 * epoch × 2^32 + step: monotonic while reports arrive in order from the lease holder, and a resumed
 * run (a later epoch, maybe an earlier step) still sorts after everything before it.
 */
export async function recordProgress(db: Db, machineId: string, input: JobProgressInput, now: Date): Promise<JobProgressAnswer> {
  const job = await requireHeldJob(db, machineId, input.jobId, input.epoch);
  if (job.status !== 'RUNNING') throw new AppError('CONFLICT', 'JOB_NOT_STARTED', 'Call runner.jobStart before reporting progress.', 'jobId');
  const totalSteps = job.totalSteps ?? input.step;
  if (input.step > totalSteps) throw new AppError('BAD_REQUEST', 'STEP_OUT_OF_RANGE', `Step ${input.step} is past the job's ${totalSteps} steps.`, 'step');
  const summary: JobProgressSummary = {
    step: input.step,
    totalSteps,
    epochIndex: input.epochIndex,
    loss: input.loss,
    accuracy: input.accuracy,
    valLoss: input.valLoss ?? null,
    valAccuracy: input.valAccuracy ?? null,
    samplesPerSecond: input.samplesPerSecond,
    etaSeconds: input.etaSeconds,
    machineId,
    at: now,
  };
  const expiresAt = new Date(now.getTime() + leaseMs());
  const { matchedCount } = await jobsCollection(db).updateOne(
    { _id: job._id, status: 'RUNNING', leaseEpoch: input.epoch, 'lease.machineId': machineId, 'progress.at': { $not: { $gt: new Date(now.getTime() - PROGRESS_MIN_INTERVAL_MS) } } },
    { $set: { progress: summary }, $max: { leaseExpiresAt: expiresAt, 'lease.expiresAt': expiresAt.getTime() } },
  );
  if (matchedCount === 0) {
    // Lost the lease since the read (refused), or reported too soon after the last one (dropped).
    checkHeld((await jobsCollection(db).findOne({ _id: job._id }))!, machineId, input.epoch);
    return { keepGoing: true };
  }
  const point: JobProgressDoc = { _id: `${input.jobId}:${input.epoch}:${input.step}`, jobId: job._id, seq: input.epoch * 2 ** 32 + input.step, leaseEpoch: input.epoch, ...summary };
  try {
    await jobProgressCollection(db).insertOne(point);
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
  }
  notifyJobChanged(input.jobId);
  return { keepGoing: true };
}

/**
 * runner.jobComplete: the named checkpoint must be the verified one at totalSteps. The run is
 * recorded first (idempotent), so a completion that fails part-way leaves the job RUNNING for the
 * runner to retry; then 'complete' releases the rest of the escrow to the provider.
 */
export async function completeHeldJob(db: Db, machineId: string, input: JobLeaseInput & { sha256: string }, now: Date): Promise<{ status: string; resultRunId: string }> {
  const job = await requireHeldJob(db, machineId, input.jobId, input.epoch);
  await requireNotBanned(db, machineId);
  const last = job.lastCheckpoint ?? null;
  const totalSteps = job.totalSteps ?? null;
  if (job.status !== 'RUNNING' || !last || last.sha256 !== input.sha256 || totalSteps === null || last.step !== totalSteps) {
    const have = last ? `the last verified checkpoint is ${last.sha256.slice(0, 12)}… at step ${last.step}` : 'no checkpoint has verified yet';
    throw new AppError('BAD_REQUEST', 'CHECKPOINT_NOT_FINAL', `Complete names the verified checkpoint at step ${totalSteps ?? '?'}; ${have}.`, 'sha256');
  }
  const resultRunId = await recordJobRun(db, job, await specOf(db, input.jobId), input.sha256, now);
  const { job: after } = await applyWithEffects(db, job._id, { type: 'complete', epoch: input.epoch }, now, { alsoSet: { resultRunId } });
  notifyJobChanged(input.jobId);
  return { status: after.status, resultRunId };
}

/** runner.jobHandBack: the runner stops cleanly (no slash); the job waits for a machine again, from its last checkpoint. */
export async function handBackHeldJob(db: Db, machineId: string, input: JobLeaseInput, now: Date): Promise<{ status: string }> {
  await requireHeldJob(db, machineId, input.jobId, input.epoch);
  const { job } = await applyWithEffects(db, input.jobId, { type: 'hand_back', epoch: input.epoch }, now);
  notifyJobChanged(input.jobId);
  return { status: job.status };
}

/** runner.jobFail: the machine gives up on the job (it is excluded; the job requeues or fails for good). */
export async function failHeldJob(db: Db, machineId: string, input: JobLeaseInput & { reason: string }, now: Date): Promise<{ status: string }> {
  await requireHeldJob(db, machineId, input.jobId, input.epoch);
  const { job } = await applyWithEffects(db, input.jobId, { type: 'fail', epoch: input.epoch, reason: input.reason }, now);
  notifyJobChanged(input.jobId);
  return { status: job.status };
}
