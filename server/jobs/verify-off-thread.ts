import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Db } from 'mongodb';
import { DatasetError, type DatasetErrorCode } from '../../compute/data';
import type { JobDataSpec } from '../../compute/train/job-data';
import { AppError } from '../errors/app-error';
import type { JobDoc } from './collections';
import { readJobCsv } from './job-data-source';
import type { FrozenJobSpec } from './job-spec';
import type { CheckpointReport } from './runner-protocol';
import type { Verdict } from './verify-checkpoint';
import type { PreparedFacts, VerifyOutcome, VerifyTask } from './verify-task';

/** Found from the working directory, as parse-off-thread.ts finds its worker (Next.js must not bundle it). */
const WORKER_FILE = pathToFileURL(path.join(process.cwd(), 'server', 'jobs', 'verify-worker.mjs')).href;
/** Started from source text, not a path, so Turbopack does not follow it into a bundle (see parse-off-thread.ts). */
const BOOT = 'import(require("node:worker_threads").workerData.entry);';

/** The worker's heap: a few cached validation splits and one job's data being prepared (a CSV at the upload cap needs a few hundred MB). */
export const VERIFY_MEMORY_MB = 1024;
/** A task (queue wait included) taking longer than this stops the worker; the caller is answered 503 and may retry. */
export const VERIFY_TIME_LIMIT_MS = 120_000;

type Answer = { id: number; outcome: VerifyOutcome };
interface Pending {
  resolve: (outcome: VerifyOutcome) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

/**
 * One long-lived worker thread for the CPU-heavy parts of network jobs (verify-task.ts): tasks
 * queue in it and are answered in order. Measured on the main thread here (2 cores, busy; see
 * scripts/bench-checkpoint-verify.ts), a 10,000 × 50 CSV with a 3-layer MLP blocked the event loop
 * 160-240 ms preparing the data at submit and 57-88 ms per checkpoint check (up to 1.2 s and 280 ms
 * under more load); the digits built-in 27-118 ms and 17-37 ms. Through the worker the longest
 * block was 15 ms (copying the bytes over), the check itself 23-78 ms once the split is cached. The
 * worker is unref'd while idle, so it never keeps a process alive; if it dies (out of memory, a
 * time limit) every waiting task is answered with an error and the next task starts a fresh one.
 */
class VerifyWorker {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  run(task: VerifyTask, transfer: ArrayBuffer[]): Promise<VerifyOutcome> {
    const worker = this.worker ?? this.start();
    const id = this.nextId++;
    return new Promise<VerifyOutcome>((resolve, reject) => {
      const timer = setTimeout(() => this.stop(worker, unavailable('VERIFY_TIMEOUT', `checking took longer than ${VERIFY_TIME_LIMIT_MS / 1000} s`)), VERIFY_TIME_LIMIT_MS);
      timer.unref();
      this.pending.set(id, { resolve, reject, timer });
      worker.ref();
      worker.postMessage({ id, task }, transfer);
    });
  }

  private start(): Worker {
    // execArgv []: the parent's flags (tsx's --import, a debugger port) are not the worker's business.
    const worker = new Worker(BOOT, { eval: true, workerData: { entry: WORKER_FILE }, execArgv: [], resourceLimits: { maxOldGenerationSizeMb: VERIFY_MEMORY_MB } });
    worker.unref();
    worker.on('message', ({ id, outcome }: Answer) => {
      const waiting = this.pending.get(id);
      if (!waiting) return;
      this.pending.delete(id);
      clearTimeout(waiting.timer);
      if (this.pending.size === 0) worker.unref();
      waiting.resolve(outcome);
    });
    worker.on('error', (error: Error & { code?: string }) => this.stop(worker, error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? unavailable('VERIFY_OUT_OF_MEMORY', `checking needs more than ${VERIFY_MEMORY_MB} MB of memory`) : error));
    worker.on('exit', (code) => this.stop(worker, new Error(`The verification worker stopped (exit code ${code}) before answering.`)));
    this.worker = worker;
    return worker;
  }

  /** Ends `worker` (if it is still the current one), answering everything it still owed with `error`. */
  private stop(worker: Worker, error: Error): void {
    if (this.worker !== worker) return;
    this.worker = null;
    void worker.terminate();
    for (const [id, waiting] of this.pending) {
      clearTimeout(waiting.timer);
      this.pending.delete(id);
      waiting.reject(error);
    }
  }
}

function unavailable(code: string, why: string): AppError {
  return new AppError('SERVICE_UNAVAILABLE', code, `The platform could not check this job's data now: ${why}. Try again later.`);
}

const shared = new VerifyWorker();

/** A copy in a fresh buffer, handed to the worker without a second copy (the original may be a view on a shared or cached buffer). */
function own(bytes: Uint8Array): { bytes: Uint8Array; buffer: ArrayBuffer } {
  const copy = bytes.slice();
  return { bytes: copy, buffer: copy.buffer as ArrayBuffer };
}

function failure(outcome: VerifyOutcome): Error {
  if (outcome.ok) return new Error('unreachable');
  if ('datasetError' in outcome) return new DatasetError(outcome.datasetError.code as DatasetErrorCode, outcome.datasetError.message);
  if ('failed' in outcome) return new Error(`The verification worker failed: ${outcome.failed}`);
  return new Error('The verification worker asked for data twice.');
}

export class JobDataMissing extends Error {}

export interface CheckpointToVerify {
  bytes: Uint8Array;
  report: CheckpointReport;
  totalSteps: number;
  lastStep: number;
}

/**
 * verifyCheckpoint in the worker, on the job's validation split cached there. `readCsv` is called
 * (and the bytes sent) only when the worker does not hold the split yet; JobDataMissing when the
 * job's CSV is gone.
 */
export async function verifyInWorker(jobId: string, spec: FrozenJobSpec, checkpoint: CheckpointToVerify, readCsv: () => Promise<Uint8Array | null>): Promise<Verdict> {
  const ask = async (csv: Uint8Array | null) => {
    const body = own(checkpoint.bytes);
    const data = csv ? own(csv) : null;
    const task: VerifyTask = { kind: 'verify', jobId, spec, csv: data?.bytes ?? null, bytes: body.bytes, report: checkpoint.report, totalSteps: checkpoint.totalSteps, lastStep: checkpoint.lastStep };
    return shared.run(task, data ? [body.buffer, data.buffer] : [body.buffer]);
  };
  let outcome = await ask(null);
  if (!outcome.ok && 'needData' in outcome) {
    const source = spec.data.source;
    const csv = source.kind === 'csv' ? await readCsv() : null;
    if (source.kind === 'csv' && !csv) throw new JobDataMissing(`The job's dataset (${source.sha256.slice(0, 12)}…) is no longer stored`);
    outcome = await ask(csv);
  }
  if (outcome.ok && 'verdict' in outcome) return outcome.verdict;
  throw failure(outcome);
}

/** verifyInWorker for a stored job: its CSV is read from the database (checked against the spec's SHA-256) on a miss. */
export function verifyOffThread(db: Db, job: Pick<JobDoc, '_id' | 'datasetId'>, spec: FrozenJobSpec, checkpoint: CheckpointToVerify): Promise<Verdict> {
  const source = spec.data.source;
  return verifyInWorker(job._id.toHexString(), spec, checkpoint, async () => (source.kind === 'csv' ? readJobCsv(db, job.datasetId, source.sha256) : null));
}

/** prepareJobData in the worker, answering what submit keeps of it; a file that does not parse throws its DatasetError. */
export async function prepareOffThread(data: JobDataSpec, csv: Uint8Array | null): Promise<PreparedFacts> {
  const copy = csv ? own(csv) : null;
  const outcome = await shared.run({ kind: 'prepare', data, csv: copy?.bytes ?? null }, copy ? [copy.buffer] : []);
  if (outcome.ok && 'prepared' in outcome) return outcome.prepared;
  throw failure(outcome);
}
