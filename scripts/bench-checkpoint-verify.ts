/**
 * How long a network job's checkpoint check and its submit-time data preparation take, and how
 * long they block the event loop: on the main thread (verifyCheckpoint, prepareJobData) and through
 * the verification worker (verify-off-thread.ts). Datasets: the digits built-in (64-128-64-10 MLP)
 * and a generated 10,000-row × 50-feature CSV (50-128-64-4 MLP). No database: the worker is given
 * the CSV directly. Run: node --import tsx scripts/bench-checkpoint-verify.ts. One JSON line per case.
 */
import { ObjectId } from 'mongodb';
import { batches } from '../compute/data/batch';
import { saveCheckpoint } from '../compute/export/safetensors/checkpoint';
import { mlpClassifier } from '../compute/graph';
import type { Graph } from '../compute/graph/types';
import { buildModelPlan } from '../compute/model/plan';
import { CpuTrainer } from '../compute/model/trainer';
import { prepareJobData, type JobDataSpec } from '../compute/train/job-data';
import { sha256Hex } from '../server/datasets/blob-store';
import { builtinCsv, findBuiltin } from '../server/datasets/builtins';
import type { FrozenJobSpec } from '../server/jobs/job-spec';
import { verifyCheckpoint } from '../server/jobs/verify-checkpoint';
import { prepareOffThread, verifyInWorker } from '../server/jobs/verify-off-thread';

const REPEATS = Number(process.env.BENCH_REPEATS ?? 3);

function syntheticCsv(rows: number, features: number): Uint8Array {
  let seed = 1;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  const lines = [[...Array.from({ length: features }, (_, i) => `f${i}`), 'label'].join(',')];
  for (let r = 0; r < rows; r++) lines.push([...Array.from({ length: features }, () => (next() * 10).toFixed(4)), String(r % 4)].join(','));
  return new TextEncoder().encode(lines.join('\n'));
}

/** The longest gap between 1 ms timer ticks while `work` runs: how long the event loop was blocked. */
async function blocking<T>(work: () => Promise<T> | T): Promise<{ value: T; wallMs: number; maxBlockMs: number }> {
  let last = performance.now();
  let maxBlockMs = 0;
  const ticker = setInterval(() => {
    const now = performance.now();
    maxBlockMs = Math.max(maxBlockMs, now - last);
    last = now;
  }, 1);
  await new Promise((resolve) => setTimeout(resolve, 5));
  last = performance.now();
  const started = performance.now();
  const value = await work();
  const wallMs = performance.now() - started;
  maxBlockMs = Math.max(maxBlockMs, performance.now() - last);
  clearInterval(ticker);
  return { value, wallMs: Math.round(wallMs * 10) / 10, maxBlockMs: Math.round(maxBlockMs * 10) / 10 };
}

const cases: [string, Uint8Array, Graph][] = [
  ['digits', builtinCsv(findBuiltin('builtin:digits') as never), mlpClassifier(64, [128, 64], 10)],
  ['csv 10000x50', syntheticCsv(10_000, 50), mlpClassifier(50, [128, 64], 4)],
];

for (const [name, csv, graph] of cases) {
  const data: JobDataSpec = { source: { kind: 'csv', label: name, sha256: sha256Hex(csv), bytes: csv.byteLength, labelColumn: null }, validationFraction: 0.2, testFraction: 0, seed: 1, preprocessing: 'standardize' };
  const prepared = prepareJobData(data, csv);
  const trainer = new CpuTrainer(graph, { optimizer: { type: 'adam', lr: 0.01, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 }, seed: 1 });
  trainer.trainStep([...batches(prepared.train, 32, { dropLast: true })][0]!);
  const bytes = saveCheckpoint({ params: trainer.params, optimizer: trainer.optimizer }, {});
  const scores = trainer.evaluate(prepared.validation);
  const report = { step: 1, epochIndex: 0, trainLoss: 1, valLoss: scores.loss, valAccuracy: scores.accuracy ?? null };
  const spec = { graph, data } as unknown as FrozenJobSpec;
  const plan = buildModelPlan(graph);
  // A fresh job id each repeat: the worker prepares the split (a cache miss, the CSV sent over) and scores; then a second, cached check.
  for (let repeat = 0; repeat < REPEATS; repeat++) {
    const mainPrepare = await blocking(() => prepareJobData(data, csv));
    const mainVerify = await blocking(() => verifyCheckpoint({ plan, validation: prepared.validation, bytes, report, totalSteps: 10, lastStep: 0 }));
    const workerPrepare = await blocking(() => prepareOffThread(data, csv));
    const jobId = new ObjectId().toHexString();
    const checkpoint = { bytes, report, totalSteps: 10, lastStep: 0 };
    const workerFirst = await blocking(() => verifyInWorker(jobId, spec, checkpoint, async () => csv));
    const workerVerify = await blocking(() => verifyInWorker(jobId, spec, checkpoint, async () => csv));
    console.log(JSON.stringify({
      benchmark: 'checkpoint-verify', dataset: name, validationRows: prepared.validation.size, csvBytes: csv.byteLength, checkpointBytes: bytes.byteLength, repeat,
      mainThread: { prepareMs: mainPrepare.wallMs, prepareBlockMs: mainPrepare.maxBlockMs, verifyMs: mainVerify.wallMs, verifyBlockMs: mainVerify.maxBlockMs, verified: mainVerify.value.verified },
      worker: { prepareMs: workerPrepare.wallMs, prepareBlockMs: workerPrepare.maxBlockMs, firstVerifyMs: workerFirst.wallMs, firstVerifyBlockMs: workerFirst.maxBlockMs, verifyMs: workerVerify.wallMs, verifyBlockMs: workerVerify.maxBlockMs, verified: workerVerify.value.verified },
    }));
  }
}
