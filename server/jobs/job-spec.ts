import type { Db, ObjectId } from 'mongodb';
import { DatasetError } from '../../compute/data';
import { modelMetadataEntries } from '../../compute/export/model-metadata';
import type { Graph } from '../../compute/graph/types';
import { buildModelPlan } from '../../compute/model/plan';
import type { JobDataSpec } from '../../compute/train/job-data';
import { parseTrainConfig, type TrainConfig } from '../../compute/train/train-config';
import { TrainError } from '../../compute/train/train-error';
import { AppError } from '../errors/app-error';
import type { JobTrainingConfig } from './collections';
import { jobSpecsCollection } from './collections';
import { resolveJobData } from './job-data-source';
import type { JobSpec } from './runner-protocol';
import { prepareOffThread } from './verify-off-thread';

/** What submit freezes: the runner's JobSpec less the lease's parts (jobId, epoch, startCheckpoint). */
export type FrozenJobSpec = Omit<JobSpec, 'jobId' | 'epoch' | 'startCheckpoint'>;

function trainConfigOf(config: JobTrainingConfig, validationFraction: number): TrainConfig {
  try {
    return parseTrainConfig({
      epochs: config.epochs,
      batchSize: config.batchSize,
      seed: config.seed ?? 0,
      optimizer: { type: 'adam', lr: config.learningRate ?? 0.001 },
      validationFraction,
      testFraction: 0,
    });
  } catch (error) {
    if (error instanceof TrainError) throw new AppError('BAD_REQUEST', 'INVALID_TRAINING_CONFIG', error.message, error.field ? `config.${error.field}` : 'config');
    throw error;
  }
}

function planOrRefuse(graph: Graph): void {
  try {
    buildModelPlan(graph);
  } catch (error) {
    throw new AppError('BAD_REQUEST', 'GRAPH_INVALID', `The model cannot be trained: ${error instanceof Error ? error.message : String(error)}. Fix it in the editor before training on the network.`, 'modelId');
  }
}

/**
 * Freezes a job at submit, before any money moves: the graph as it is now, the full training
 * config, the data (synthetic, or CSV bytes named by sha256) and the metadata every checkpoint
 * carries. The data is prepared once here (in the verification worker, off the event loop) exactly
 * as runner and verifier will prepare it, so totalSteps is exact and a file that does not parse is
 * refused now, not on a provider's machine.
 */
export async function buildJobSpec(db: Db, userId: ObjectId, graph: Graph, datasetId: string, config: JobTrainingConfig, startStep = 0): Promise<FrozenJobSpec> {
  planOrRefuse(graph);
  const resolved = await resolveJobData(db, userId, datasetId);
  const train = trainConfigOf(config, resolved.validationFraction);
  const data: JobDataSpec = { source: resolved.source, validationFraction: resolved.validationFraction, testFraction: 0, seed: train.seed, preprocessing: resolved.preprocessing };
  let prepared;
  try {
    prepared = await prepareOffThread(data, resolved.bytes);
  } catch (error) {
    if (error instanceof DatasetError) throw new AppError('BAD_REQUEST', 'JOB_DATA_INVALID', `The dataset cannot be prepared for training: ${error.message}.`, 'datasetId');
    throw error;
  }
  const stepsPerEpoch = Math.floor(prepared.trainRows / train.batchSize);
  if (stepsPerEpoch < 1) {
    throw new AppError('BAD_REQUEST', 'BATCH_LARGER_THAN_DATA', `The batch size ${train.batchSize} is larger than the ${prepared.trainRows} training rows; choose at most ${prepared.trainRows}.`, 'config.batchSize');
  }
  const { summary } = prepared;
  const checkpointMetadata = modelMetadataEntries({ preprocessing: summary.preprocessing, classNames: summary.classNames, ...(summary.inputColumns ? { inputColumns: summary.inputColumns } : {}) });
  // Started from a run (start-from-run.ts epochsDone): its epochs, the one it stopped in finished first, then the requested ones.
  const epochs = train.epochs + Math.ceil(startStep / stepsPerEpoch);
  return { graph, train: { ...train, epochs }, data, totalSteps: epochs * stepsPerEpoch, checkpointMetadata };
}

export async function storeJobSpec(db: Db, jobId: ObjectId, spec: FrozenJobSpec, now: Date): Promise<void> {
  await jobSpecsCollection(db).insertOne({ _id: jobId.toHexString(), specJson: JSON.stringify(spec), createdAt: now });
}

export async function readJobSpec(db: Db, jobId: ObjectId): Promise<FrozenJobSpec | null> {
  const doc = await jobSpecsCollection(db).findOne({ _id: jobId.toHexString() });
  return doc ? (JSON.parse(doc.specJson) as FrozenJobSpec) : null;
}
