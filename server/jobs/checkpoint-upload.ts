import type { Db } from 'mongodb';
import { putBlob } from '../blobs/blob-store';
import { isDuplicateKeyError } from '../db/duplicate-key';
import { AppError } from '../errors/app-error';
import { jobCheckpointsCollection, type JobCheckpointDoc, type JobDoc } from './collections';
import { applyWithEffects } from './effects';
import { notifyJobChanged } from './job-change-bus';
import { requireHeldJob, requireNotBanned } from './job-lease-guard';
import { readJobSpec } from './job-spec';
import { measureCheckpoint } from './measured-speed';
import { CheckpointReportSchema, type CheckpointAnswer, type CheckpointReport } from './runner-protocol';
import { JobDataMissing, verifyOffThread } from './verify-off-thread';

export interface CheckpointUpload {
  jobId: string;
  epoch: number;
  sha256: string;
  /** The x-cyxwiz-report header: JSON of a CheckpointReport. */
  reportJson: string | null;
  bytes: Uint8Array;
}

export function parseCheckpointReport(json: string | null): CheckpointReport {
  if (!json) throw new AppError('BAD_REQUEST', 'CHECKPOINT_REPORT_MISSING', 'Send the checkpoint\'s scores as JSON in the x-cyxwiz-report header.', 'x-cyxwiz-report');
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    throw new AppError('BAD_REQUEST', 'CHECKPOINT_REPORT_INVALID', 'The x-cyxwiz-report header is not JSON.', 'x-cyxwiz-report');
  }
  const parsed = CheckpointReportSchema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new AppError('BAD_REQUEST', 'CHECKPOINT_REPORT_INVALID', `The checkpoint report's ${issue.path.join('.') || 'value'} is invalid: ${issue.message}`, `x-cyxwiz-report.${issue.path.join('.')}`);
  }
  return parsed.data;
}

function answerOf(doc: JobCheckpointDoc): CheckpointAnswer {
  return { verified: doc.verified, sha256: doc.sha256, step: doc.step, platform: doc.platform, releasedMicro: doc.releasedMicro, reason: doc.reason };
}

/**
 * The verdict's transition: 'checkpoint_verified' (lastCheckpoint moves here in the same write, the
 * share is paid) or 'checkpoint_invalid' (slash 25%, the machine is excluded, the job requeues from
 * its last good checkpoint). Skipped when it already landed, so a repeated upload pays once.
 */
async function settle(db: Db, job: JobDoc, doc: JobCheckpointDoc, now: Date): Promise<void> {
  const lastStep = job.lastCheckpoint?.step ?? 0;
  if (doc.leaseEpoch !== job.leaseEpoch) return;
  if (doc.verified) {
    if (lastStep >= doc.step) return;
    const lastCheckpoint = { sha256: doc.sha256, step: doc.step, epochIndex: doc.epochIndex, bytes: doc.bytes, valLoss: doc.platform.valLoss, valAccuracy: doc.platform.valAccuracy, machineId: doc.machineId, verifiedAt: now };
    await applyWithEffects(db, job._id, { type: 'checkpoint_verified', epoch: doc.leaseEpoch, step: doc.step }, now, { alsoSet: { lastCheckpoint } });
    // The unit's measured speed (measured-speed.ts): from this server's clock, never the runner's figure.
    // A failure to record it must not fail an upload that has been verified and paid.
    await measureCheckpoint(db, job, doc, now).catch((error: unknown) => console.error(`[jobs] measuring checkpoint ${doc._id} failed:`, error));
  } else {
    await applyWithEffects(db, job._id, { type: 'checkpoint_invalid', epoch: doc.leaseEpoch }, now);
  }
}

/**
 * PUT /api/runner/jobs/<jobId>/checkpoints: the lease must be this machine's at this epoch and the
 * job RUNNING; the bytes must hash to what they were sent as (else BLOB_HASH_MISMATCH, nothing
 * stored or paid). The blob is stored, the platform scores the weights on its own validation
 * split (verify-checkpoint.ts, in the verification worker: verify-off-thread.ts), the verdict is recorded (jobCheckpoints, one per job, lease epoch and sha256)
 * and its transition applied.
 */
export async function acceptCheckpoint(db: Db, machineId: string, upload: CheckpointUpload, now: Date): Promise<CheckpointAnswer> {
  const job = await requireHeldJob(db, machineId, upload.jobId, upload.epoch);
  await requireNotBanned(db, machineId);
  if (job.status !== 'RUNNING') throw new AppError('CONFLICT', 'JOB_NOT_STARTED', 'Call runner.jobStart before uploading checkpoints.', 'jobId');
  const report = parseCheckpointReport(upload.reportJson);
  await putBlob(db, upload.sha256, upload.bytes, { jobId: job._id, kind: 'checkpoint' });
  const checkpoints = jobCheckpointsCollection(db);
  // One verdict per lease and bytes: a resumed run on another machine can make the very bytes an
  // earlier lease uploaded (training is deterministic), and must be judged on its own report, not
  // answered with the earlier lease's verdict (a liar's rejection would stop an honest runner).
  const _id = `${upload.jobId}:${upload.epoch}:${upload.sha256}`;
  let doc = await checkpoints.findOne({ _id });
  if (!doc) {
    const spec = await readJobSpec(db, job._id);
    if (!spec || job.totalSteps == null) throw new AppError('NOT_FOUND', 'JOB_SPEC_NOT_FOUND', `Job ${upload.jobId} was made without a frozen spec; its checkpoints cannot be verified.`, 'jobId');
    let verdict;
    try {
      verdict = await verifyOffThread(db, job, spec, { bytes: upload.bytes, report, totalSteps: job.totalSteps, lastStep: job.lastCheckpoint?.step ?? 0 });
    } catch (error) {
      if (error instanceof JobDataMissing) throw new AppError('SERVICE_UNAVAILABLE', 'JOB_DATA_MISSING', `${error.message}; the checkpoint cannot be verified now.`);
      throw error;
    }
    const fresh: JobCheckpointDoc = {
      _id,
      jobId: job._id,
      sha256: upload.sha256,
      bytes: upload.bytes.byteLength,
      step: report.step,
      epochIndex: report.epochIndex,
      machineId,
      leaseEpoch: upload.epoch,
      reported: { trainLoss: report.trainLoss, valLoss: report.valLoss, valAccuracy: report.valAccuracy },
      platform: verdict.platform,
      verified: verdict.verified,
      reason: verdict.reason,
      releasedMicro: '0',
      at: now,
    };
    try {
      await checkpoints.insertOne(fresh);
      doc = fresh;
    } catch (error) {
      if (!isDuplicateKeyError(error)) throw error;
      doc = (await checkpoints.findOne({ _id }))!;
    }
  }
  await settle(db, job, doc, now);
  notifyJobChanged(upload.jobId);
  return answerOf((await checkpoints.findOne({ _id })) ?? doc);
}
