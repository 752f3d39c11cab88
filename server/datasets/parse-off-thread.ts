import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { AppError } from '../errors/app-error';
import { DatasetRejected } from './dataset-rejected';
import type { InspectedDataset } from './inspect-csv';
import { MAX_PARALLEL_PARSES, MAX_QUEUED_PARSES, PARSE_MEMORY_MB, PARSE_TIME_LIMIT_MS } from './limits';
import type { ParseOutcome, ParseTask } from './parse-task';

/**
 * The worker is a plain file that Next.js must not bundle (tsx compiles what it loads at run time),
 * so it is found from the working directory, where the server and vitest both run, not from
 * import.meta.url (which points into .next/ once bundled).
 */
const WORKER_FILE = pathToFileURL(path.join(process.cwd(), 'server', 'datasets', 'parse-worker.mjs')).href;

/**
 * The worker starts from this source text rather than from a path, because Turbopack follows
 * `new Worker(path)` and bundles the target (and tsx, and esbuild with it) into the server build.
 */
const BOOT = 'import(require("node:worker_threads").workerData.entry);';

export interface ParseBudget {
  /** The worker's heap (V8 old generation) in MB. */
  memoryMb?: number;
  timeLimitMs?: number;
}

/**
 * inspectCsv / inspectIdx in a worker thread with a heap limit and a time limit: a file that needs
 * more is refused with DATASET_TOO_COMPLEX (422) and the server carries on, instead of the parse
 * blocking every request or growing the process until it is killed.
 */
export async function inspectOffThread(task: ParseTask, budget: ParseBudget = {}): Promise<InspectedDataset> {
  const release = await takeParseSlot();
  try {
    return await runInWorker(task, budget.memoryMb ?? PARSE_MEMORY_MB, budget.timeLimitMs ?? PARSE_TIME_LIMIT_MS);
  } finally {
    release();
  }
}

function runInWorker(task: ParseTask, memoryMb: number, timeLimitMs: number): Promise<InspectedDataset> {
  return new Promise((resolve, reject) => {
    // execArgv [] : the parent's flags (tsx's --import, a debugger port) are not the worker's business.
    const worker = new Worker(BOOT, { eval: true, workerData: { entry: WORKER_FILE, task }, execArgv: [], resourceLimits: { maxOldGenerationSizeMb: memoryMb } });
    let settled = false;
    const settle = (finish: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void worker.terminate();
      finish();
    };
    const timer = setTimeout(() => settle(() => reject(tooComplex(`checking it took longer than ${timeLimitMs / 1000} s`))), timeLimitMs);
    worker.once('message', (outcome: ParseOutcome) => settle(() => (outcome.ok ? resolve(outcome.inspected) : reject(errorOf(outcome)))));
    worker.once('error', (error: Error & { code?: string }) =>
      settle(() => reject(error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? tooComplex(`checking it needs more than ${memoryMb} MB of memory`) : error)),
    );
    worker.once('exit', (code) => settle(() => reject(new Error(`The dataset parser stopped (exit code ${code}) before answering.`))));
  });
}

function errorOf(outcome: Exclude<ParseOutcome, { ok: true }>): Error {
  if ('rejected' in outcome) {
    const { code, message, location, status, field } = outcome.rejected;
    return new DatasetRejected(code, message, location, status, field);
  }
  if ('tooComplex' in outcome) return tooComplex(`it asks for more memory than there is (${outcome.tooComplex})`);
  return new Error(`The dataset parser failed: ${outcome.failed}`);
}

function tooComplex(why: string): DatasetRejected {
  return new DatasetRejected('DATASET_TOO_COMPLEX', `This dataset is too complex to accept: ${why}. Upload fewer rows or columns.`, {}, 422);
}

let running = 0;
const waiting: (() => void)[] = [];

/** A place among MAX_PARALLEL_PARSES; resolves to the function that gives it back. */
async function takeParseSlot(): Promise<() => void> {
  if (running >= MAX_PARALLEL_PARSES) {
    if (waiting.length >= MAX_QUEUED_PARSES) {
      throw new AppError('TOO_MANY_REQUESTS', 'PARSER_BUSY', 'Too many datasets are being checked right now. Try again in a minute.');
    }
    await new Promise<void>((resolve) => waiting.push(resolve));
  } else running++;
  let released = false;
  return () => {
    if (released) return;
    released = true;
    // The slot passes straight to the next waiter, so `running` counts it still taken.
    const next = waiting.shift();
    if (next) next();
    else running--;
  };
}
