import type { Db, ObjectId } from 'mongodb';
import { readModelMetadata, readSafetensors } from '../../compute/export';
import { saveCheckpoint } from '../../compute/export/safetensors/checkpoint';
import { loadWeights } from '../../compute/export/safetensors/weights';
import { trainingFlops, type ModelFacts } from '../../compute/model-facts';
import { createOptimizerState } from '../../compute/model/optimizer';
import { buildModelPlan } from '../../compute/model/plan';
import { parseTrainConfig } from '../../compute/train/train-config';
import { getBlob, hasBlob, putBlob } from '../blobs/blob-store';
import { sha256Hex } from '../datasets/blob-store';
import type { ModelDoc } from '../db/collections';
import { AppError } from '../errors/app-error';
import type { RunDoc } from '../runs/collection';
import { readArtifact } from '../runs/artifacts';
import { requireReadableRun } from '../runs/runs';
import type { JobStartFrom, JobTrainingConfig, VerifiedCheckpoint } from './collections';
import type { FrozenJobSpec } from './job-spec';

/**
 * "Continue on the network": a job whose starting point is a saved run of the same model.
 *
 * The starting checkpoint is the shared checkpoint format (compute/export saveCheckpoint: weights,
 * optimizer slots, optimizer.step; data order and dropout masks derive from the job's seed, epoch
 * and step, so the RNG state is the seed plus the step). A run saved with its Adam checkpoint
 * (an in-tab WebGPU run, or a network job's result) resumes it as it is: the job starts at the
 * run's step. A run without one (older runs, the CPU trainer, another optimizer) starts from its
 * weights with a fresh Adam state at step 0.
 *
 * Epochs count on from the run, in the job's own epochs (its data and batch size): a run that
 * stopped part-way through one of them (another batch size or split in the tab, a stopped run) first
 * finishes it, then the requested epochs follow in full. So the job's frozen config holds
 * epochsDone = ceil(step / stepsPerEpoch) + the requested epochs, the runner's loop (which starts at
 * epoch floor(step / stepsPerEpoch), mid-epoch at the step's batch) trains from the run's step to
 * the end, and the quote charges only for those steps; each checkpoint's share of the escrow is
 * worked out over them too (effects.ts).
 */

/** The optimizer every network job trains with (job-spec.ts trainConfigOf): only its state resumes. */
export const JOB_OPTIMIZER = 'adam';

export interface StartRun {
  run: RunDoc;
  /** The optimizer step the job starts at: the run checkpoint's, or 0 from the weights alone. */
  startStep: number;
  /** True: the run's own checkpoint (optimizer state and step) is the starting point. */
  resumesOptimizer: boolean;
  /** The bytes checked against the model: the run's checkpoint, or its weights file. */
  bytes: Uint8Array;
}

export function incompatible(message: string): AppError {
  return new AppError('BAD_REQUEST', 'JOB_START_RUN_INCOMPATIBLE', `${message}; a job can only start from a run whose weights load into this model as they are.`, 'fromRunId');
}

/** Stored datasets travel as '<id>' to the jobs API and as 'ds:<id>' in the tab's runs. */
const datasetKey = (id: string | null | undefined) => (id ? (id.startsWith('ds:') ? id.slice(3) : id) : null);

function layerName(model: ModelDoc, nodeId: string): string {
  const label = model.layout[nodeId]?.label;
  const type = model.graph.nodes.find((n) => n.id === nodeId)?.type ?? 'layer';
  return label ? `“${label}” (${type})` : `${type} ${nodeId}`;
}

const shapeText = (shape: readonly number[]) => (shape.length === 0 ? 'a scalar' : shape.join('×'));

/**
 * Refuses, naming the first layer that differs, unless every parameter of the model's graph is in
 * the run's file with the same shape and the file holds nothing else (weights load without reshaping).
 */
function checkShapes(model: ModelDoc, run: RunDoc, bytes: Uint8Array): void {
  const tensors = readSafetensors(bytes).tensors;
  let plan;
  try {
    plan = buildModelPlan(model.graph);
  } catch (error) {
    throw new AppError('BAD_REQUEST', 'GRAPH_INVALID', `The model cannot be trained: ${error instanceof Error ? error.message : String(error)}. Fix it in the editor before training on the network.`, 'modelId');
  }
  for (const spec of plan.params) {
    const t = tensors.get(spec.name);
    if (!t) throw incompatible(`Run “${run.name}” has no ${spec.role} for layer ${layerName(model, spec.nodeId)} (the model has changed since the run)`);
    if (t.shape.join('x') !== spec.shape.join('x')) {
      throw incompatible(`Layer ${layerName(model, spec.nodeId)}: run “${run.name}” holds its ${spec.role} as ${shapeText(t.shape)}, the model now needs ${shapeText(spec.shape)}`);
    }
  }
  const known = new Set(plan.params.map((p) => p.name));
  for (const name of tensors.keys()) {
    if (name.startsWith('optimizer.')) continue;
    if (!known.has(name)) throw incompatible(`Run “${run.name}” holds '${name}', which the model no longer has (a layer was removed or changed)`);
  }
}

/**
 * The run a job starts from: readable by the caller (else RUN_NOT_FOUND, as for any run), of this
 * model (else JOB_START_RUN_OTHER_MODEL), trained on the job's dataset, and shaped like the model now.
 * Read by the quote and again by submit, so a refusal comes before any money moves.
 */
export async function resolveStartRun(db: Db, userId: ObjectId, model: ModelDoc, fromRunId: string, datasetId: string): Promise<StartRun> {
  const run = await requireReadableRun(db, userId, fromRunId);
  if (!run.modelId.equals(model._id)) {
    throw new AppError('BAD_REQUEST', 'JOB_START_RUN_OTHER_MODEL', `Run “${run.name}” belongs to another model; a job starts only from a run of the model it trains.`, 'fromRunId');
  }
  if (datasetKey(run.datasetId) !== datasetKey(datasetId)) {
    const trained = run.datasetId ? `dataset ${run.dataset}` : `${run.dataset}, which the platform does not store`;
    throw incompatible(`Run “${run.name}” was trained on ${trained}, not the dataset this job trains on`);
  }
  const checkpoint = run.checkpoint ?? null;
  const resumesOptimizer = checkpoint !== null && checkpoint.optimizer === JOB_OPTIMIZER && (await hasBlob(db, checkpoint.sha256));
  const bytes = resumesOptimizer ? await getBlob(db, checkpoint.sha256) : await readArtifact(db, run.weights.fileId, run.weights.sha256);
  if (!bytes) throw new AppError('NOT_FOUND', 'RUN_CHECKPOINT_MISSING', `Run “${run.name}”'s checkpoint is no longer stored.`, 'fromRunId');
  checkShapes(model, run, bytes);
  return { run, startStep: resumesOptimizer ? checkpoint.step : 0, resumesOptimizer, bytes };
}

/** The job's epochs before the requested ones: those the run holds, the one it stopped in counted (the job finishes it first). */
export function epochsDone(startStep: number, stepsPerEpoch: number): number {
  return stepsPerEpoch >= 1 ? Math.ceil(startStep / stepsPerEpoch) : 0;
}

/**
 * The training FLOPs a job started at `startStep` does: from there to the end of epochsDone +
 * config.epochs, in full batches of the training rows (as the runner trains them).
 */
export function continuedFlops(facts: Pick<ModelFacts, 'totals'>, trainingSamples: number, config: JobTrainingConfig, startStep: number): { flops: number; steps: number; epochsDone: number; finishesEpoch: boolean } {
  const stepsPerEpoch = Math.floor(trainingSamples / config.batchSize);
  if (stepsPerEpoch < 1) return { flops: trainingFlops(facts, trainingSamples, config.epochs), steps: 0, epochsDone: 0, finishesEpoch: false };
  const done = epochsDone(startStep, stepsPerEpoch);
  // The rest of the epoch the run stopped in (if it did), then the requested epochs.
  const steps = (done + config.epochs) * stepsPerEpoch - startStep;
  return { flops: trainingFlops(facts, steps * config.batchSize, 1), steps, epochsDone: done, finishesEpoch: startStep % stepsPerEpoch !== 0 };
}

/**
 * The run's features must mean what the job's mean: the same scaling kind over the same number of
 * features, the same classes and raw columns. (The statistics themselves are fitted again on the
 * job's training split, as for every network job.)
 */
export function checkStartData(run: RunDoc, spec: FrozenJobSpec): void {
  const job = readModelMetadata(spec.checkpointMetadata);
  if (!job) return;
  const ran = run.preprocessing ?? null;
  const width = (p: NonNullable<typeof ran>) => (p.kind === 'standardize' ? p.mean.length : p.kind === 'minmax' ? p.min.length : p.features);
  if (ran && (ran.kind !== job.preprocessing.kind || width(ran) !== width(job.preprocessing))) {
    throw incompatible(`Run “${run.name}” scaled its ${width(ran)} features with ${ran.kind}, the job scales ${width(job.preprocessing)} with ${job.preprocessing.kind}`);
  }
  const classes = run.classNames ?? [];
  if (classes.length > 0 && job.classNames.length > 0 && JSON.stringify(classes) !== JSON.stringify(job.classNames)) {
    throw incompatible(`Run “${run.name}” predicts the classes ${classes.slice(0, 5).join(', ')}, the job's data has ${job.classNames.slice(0, 5).join(', ')}`);
  }
  if (run.inputColumns && job.inputColumns && JSON.stringify(run.inputColumns) !== JSON.stringify(job.inputColumns)) {
    throw incompatible(`Run “${run.name}” reads other input columns than the job's data`);
  }
}

/**
 * Stores the job's starting checkpoint as a content-addressed blob and answers it as the job's
 * lastCheckpoint (the runner's resume path downloads it by sha256). The run's own checkpoint is a
 * blob already; weights alone become a checkpoint with a fresh Adam state at step 0.
 */
export async function storeStartCheckpoint(db: Db, start: StartRun, spec: FrozenJobSpec, stepsPerEpoch: number, now: Date): Promise<{ checkpoint: VerifiedCheckpoint; startFrom: JobStartFrom }> {
  let bytes = start.bytes;
  if (!start.resumesOptimizer) {
    const plan = buildModelPlan(spec.graph);
    const params = loadWeights(start.bytes, { plan });
    const train = parseTrainConfig(spec.train);
    bytes = saveCheckpoint({ params, optimizer: createOptimizerState(plan, params, train.optimizer, train.schedule) }, spec.checkpointMetadata);
  }
  const sha256 = sha256Hex(bytes);
  await putBlob(db, sha256, bytes, { kind: 'job-start', runId: start.run._id });
  const done = epochsDone(start.startStep, stepsPerEpoch);
  const checkpoint: VerifiedCheckpoint = {
    sha256,
    step: start.startStep,
    epochIndex: Math.max(0, done - 1),
    bytes: bytes.byteLength,
    valLoss: start.run.finalLoss,
    valAccuracy: start.run.finalAccuracy,
    machineId: '',
    verifiedAt: now,
  };
  const startFrom: JobStartFrom = { runId: start.run._id.toHexString(), runName: start.run.name, sha256, step: start.startStep, epochsDone: done, resumesOptimizer: start.resumesOptimizer };
  return { checkpoint, startFrom };
}
