import { DatasetError } from '../../compute/data';
import { prepareJobData, type JobDataSpec } from '../../compute/train/job-data';
import type { DataSummary } from '../../compute/train/prepare-data';
import type { FrozenJobSpec } from './job-spec';
import type { CheckpointReport } from './runner-protocol';
import { cachedValidation } from './validation-cache';
import { verifyCheckpoint, type Verdict } from './verify-checkpoint';

/**
 * The CPU-heavy parts of network jobs, run in the verification worker (verify-worker.mjs) so they
 * never block the server's event loop: preparing a job's data at submit (parse, split, scale: about
 * 0.5-1 s for a 10,000 × 50 CSV here) and scoring a checkpoint on the validation split (0.05-0.3 s).
 */
export type VerifyTask =
  | { kind: 'verify'; jobId: string; spec: FrozenJobSpec; csv: Uint8Array | null; bytes: Uint8Array; report: CheckpointReport; totalSteps: number; lastStep: number }
  | { kind: 'prepare'; data: JobDataSpec; csv: Uint8Array | null };

/** What submit needs from the prepared data: the training rows (totalSteps) and the summary (checkpoint metadata). */
export interface PreparedFacts {
  trainRows: number;
  summary: DataSummary;
}

export type VerifyOutcome =
  | { ok: true; verdict: Verdict }
  | { ok: true; prepared: PreparedFacts }
  /** The job's split is not cached here and its CSV was not sent: send it. */
  | { ok: false; needData: true }
  | { ok: false; datasetError: { code: string; message: string } }
  | { ok: false; failed: string };

export function runVerifyTask(task: VerifyTask): VerifyOutcome {
  try {
    if (task.kind === 'prepare') {
      const prepared = prepareJobData(task.data, task.csv);
      return { ok: true, prepared: { trainRows: prepared.train.size, summary: prepared.summary } };
    }
    const validation = cachedValidation(task.jobId, task.spec, task.csv);
    if (!validation) return { ok: false, needData: true };
    const { bytes, report, totalSteps, lastStep } = task;
    return { ok: true, verdict: verifyCheckpoint({ ...validation, bytes, report, totalSteps, lastStep }) };
  } catch (error) {
    if (error instanceof DatasetError) return { ok: false, datasetError: { code: error.code, message: error.message } };
    return { ok: false, failed: error instanceof Error ? `${error.message}\n${error.stack ?? ''}` : String(error) };
  }
}
