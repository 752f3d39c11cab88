import { prepareJobData } from '../../compute/train/job-data';
import type { PreparedData } from '../../compute/train/prepare-data';
import type { CheckpointReport, HeldJob, JobLeaseInput, JobSpec } from '../../server/jobs/runner-protocol';
import { systemClock, type Clock } from '../clock';
import type { JobApi } from './job-api';
import { jobCheckpointMetadata, jobTrainConfig } from './job-config';
import { JobError } from './job-error';
import type { JobEvent, JobOutcome } from './job-events';
import type { JobTrainer, TrainerEpoch, TrainerProgress } from './job-trainer';
import { platformCall } from './platform-call';
import { ProgressReporter } from './progress-reporter';
import { fetchVerifiedBlob, sha256Hex } from './verified-blob';

export const PROGRESS_EVERY_MS = 2_000;

export interface JobExecutorOptions {
  readonly api: JobApi;
  readonly trainer: JobTrainer;
  readonly clock?: Clock;
  /** Ctrl-C: the epoch in progress ends with its checkpoint, then the lease is handed back. */
  readonly stopSignal?: AbortSignal;
  /** The job is no longer this machine's (e.g. the heartbeat stopped listing it): stop at once, drop the work. */
  readonly dropSignal?: AbortSignal;
  readonly progressEveryMs?: number;
  readonly onEvent?: (event: JobEvent) => void;
}

/**
 * Runs one leased job segment: the frozen spec, its blobs (sha256-checked), the job's splits, then
 * training from the start checkpoint to totalSteps with a checkpoint uploaded (and verified by the
 * platform) after every epoch, and completion naming the final one. Progress goes out every few
 * seconds. Any refusal that says the lease is gone stops the job at once and drops its work.
 */
export async function executeJob(held: HeldJob, options: JobExecutorOptions): Promise<JobOutcome> {
  const { api, trainer } = options;
  const clock = options.clock ?? systemClock;
  const emit = options.onEvent ?? (() => undefined);
  const lease: JobLeaseInput = { jobId: held.jobId, epoch: held.epoch };
  const lost = new AbortController();
  const drop = () => lost.abort();
  options.dropSignal?.addEventListener('abort', drop, { once: true });
  if (options.dropSignal?.aborted) drop();
  const call = <T>(what: string, fn: () => Promise<T>) =>
    platformCall(what, fn, { clock, onRetry: (attempt, delayMs, failure) => emit({ type: 'retrying', jobId: held.jobId, what, attempt, delayMs, message: failure.message }) });
  const stopping = () => options.stopSignal?.aborted === true;

  let step = 0;
  try {
    const spec = await call('the job spec', () => api.spec(lease));
    const download = (sha256: string) => call(`downloading ${sha256.slice(0, 12)}…`, () => api.downloadBlob(sha256, lease));
    const data = await loadJobData(download, spec);
    const startCheckpoint = spec.startCheckpoint ? await fetchVerifiedBlob(download, 'start checkpoint', spec.startCheckpoint.sha256, spec.startCheckpoint.bytes) : null;
    const config = jobTrainConfig(spec.train);
    let last: { sha256: string; step: number } | null = spec.startCheckpoint ? { sha256: spec.startCheckpoint.sha256, step: spec.startCheckpoint.step } : null;
    step = last?.step ?? 0;
    if (lost.signal.aborted) return end('lost', 'the job was taken away before it started');
    if (stopping()) return await handBack();
    if (held.status === 'ASSIGNED') await call('starting the job', () => api.start(lease));
    emit({ type: 'started', jobId: held.jobId, backend: trainer.backend, startStep: step, totalSteps: spec.totalSteps, trainRows: data.train.size, validationRows: data.validation.size });

    const reporter = new ProgressReporter({
      report: (progress) => api.progress({ ...lease, ...progress }),
      clock,
      everyMs: options.progressEveryMs ?? PROGRESS_EVERY_MS,
      onLost: drop,
    });
    const onEpoch = async (epoch: TrainerEpoch): Promise<boolean> => {
      if (lost.signal.aborted) return false;
      await reporter.now({ step: epoch.step, epochIndex: epoch.epochIndex, loss: epoch.trainLoss, accuracy: epoch.trainAccuracy, valLoss: epoch.valLoss, valAccuracy: epoch.valAccuracy, samplesPerSecond: null, etaSeconds: null });
      if (lost.signal.aborted) return false;
      const sha256 = sha256Hex(epoch.checkpoint);
      const report: CheckpointReport = { step: epoch.step, epochIndex: epoch.epochIndex, trainLoss: epoch.trainLoss, valLoss: epoch.valLoss, valAccuracy: epoch.valAccuracy };
      const answer = await call(`the checkpoint at step ${epoch.step}`, () => api.uploadCheckpoint(lease, epoch.checkpoint, sha256, report));
      emit({ type: 'epoch', jobId: held.jobId, epochIndex: epoch.epochIndex, epochs: config.epochs, step: epoch.step, totalSteps: spec.totalSteps, valLoss: epoch.valLoss, valAccuracy: epoch.valAccuracy, answer });
      if (!answer.verified) throw new JobError('CHECKPOINT_REJECTED', `The platform did not verify the checkpoint at step ${epoch.step}: ${answer.reason ?? 'no reason given'}`, 'lost');
      last = { sha256, step: epoch.step };
      step = epoch.step;
      return !stopping() && !lost.signal.aborted;
    };
    const result = await trainer.train({
      graph: spec.graph,
      config: config,
      data,
      startCheckpoint,
      metadata: jobCheckpointMetadata(spec.checkpointMetadata, config),
      signal: lost.signal,
      onProgress: (progress: TrainerProgress) => reporter.maybe(progress),
      onEpoch,
    });
    await reporter.settle();
    if (lost.signal.aborted) return end('lost', 'the platform asked to stop (cancelled or taken away)');
    const final = last as { sha256: string; step: number } | null;
    if (result.status === 'completed' && final && final.step === result.step && final.step >= spec.totalSteps) {
      await call('completing the job', () => api.complete({ ...lease, sha256: final.sha256 }));
      emit({ type: 'completed', jobId: held.jobId, sha256: final.sha256, step: final.step });
      return 'completed';
    }
    return await handBack();
  } catch (error) {
    if (error instanceof JobError && error.disposition === 'lost') return end('lost', error.message);
    const failure = error instanceof JobError ? error : new JobError('TRAINING_FAILED', `Training failed: ${error instanceof Error ? error.message : String(error)}`);
    if (lost.signal.aborted) return end('lost', failure.message);
    emit({ type: 'failed', jobId: held.jobId, code: failure.code, reason: failure.message });
    await call('reporting the failure', () => api.fail({ ...lease, reason: failure.message.slice(0, 500) })).catch(() => undefined);
    return 'failed';
  } finally {
    options.dropSignal?.removeEventListener('abort', drop);
  }

  async function handBack(): Promise<JobOutcome> {
    await call('handing the job back', () => api.handBack(lease));
    emit({ type: 'handed-back', jobId: held.jobId, step });
    return 'handed-back';
  }

  function end(outcome: 'lost', why: string): JobOutcome {
    emit({ type: 'lost', jobId: held.jobId, why });
    return outcome;
  }
}

/** The job's splits, from generated rows or its CSV (downloaded and checked against the spec's sha256). */
async function loadJobData(download: (sha256: string) => Promise<Uint8Array>, spec: JobSpec): Promise<PreparedData> {
  const source = spec.data.source;
  const bytes = source.kind === 'csv' ? await fetchVerifiedBlob(download, `dataset "${source.label}"`, source.sha256, source.bytes) : null;
  try {
    return prepareJobData(spec.data, bytes);
  } catch (error) {
    throw new JobError('DATA_UNREADABLE', `The job's data could not be prepared: ${error instanceof Error ? error.message : String(error)}`);
  }
}
