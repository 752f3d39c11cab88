import { MongoServerError, ObjectId, type Db } from 'mongodb';
import type { InputColumn } from '../../compute/data/input-columns';
import type { Preprocessing } from '../../compute/data/preprocessing';
import { inputColumnsMismatch, readModelMetadata, readSafetensors, type ModelMetadata } from '../../compute/export';
import { loadCheckpoint } from '../../compute/export/safetensors/checkpoint';
import { putBlob } from '../blobs/blob-store';
import { sha256Hex } from '../datasets/blob-store';
import { collections } from '../db/collections';
import { newestFirstPage, type Page, type PageRequest } from '../db/newest-first-page';
import { resolveRunDataset } from './run-dataset';
import { AppError } from '../errors/app-error';
import { requireModel } from '../models/access';
import { deleteArtifact, putArtifact, readArtifact } from './artifacts';
import { runsCollection, type RunCheckpoint, type RunDoc } from './collection';
import { MAX_CHECKPOINT_BYTES, MAX_WEIGHT_BYTES, type SaveRunInput } from './schema';

/** A run as listed: everything except the metric history. */
export interface RunSummary {
  id: string;
  modelId: string;
  name: string;
  by: string;
  dataset: string;
  /** Null for runs on generated or local data, and runs saved before it was recorded. */
  datasetId: string | null;
  datasetSha256: string | null;
  /** The trained graph's version (compute/graph graphHash); null for older runs. */
  graphHash: string | null;
  device: string;
  status: 'completed' | 'stopped';
  config: Record<string, unknown>;
  finalAccuracy: number | null;
  finalLoss: number | null;
  testAccuracy: number | null;
  testLoss: number | null;
  epochs: number;
  steps: number;
  wallTimeMs: number;
  weights: { sha256: string; bytes: number };
  /** The saved training checkpoint's step and optimizer, when the run has one ("continue on the network" resumes it). */
  checkpoint: { step: number; optimizer: string } | null;
  createdAt: Date;
}

export interface RunDetail extends RunSummary {
  metrics: RunDoc['metrics'];
  /** How the model scales raw features; null for runs saved before it travelled. */
  preprocessing: Preprocessing | null;
  classNames: string[];
  /** The raw columns a row gives and how they are encoded; null when the features are the raw values (or for older runs). */
  inputColumns: InputColumn[] | null;
}

const notFound = () => new AppError('NOT_FOUND', 'RUN_NOT_FOUND', 'No such training run, or its model is not shared with you.');

function decodeWeights(base64: string): { bytes: Uint8Array; model: ModelMetadata | null } {
  const bytes = new Uint8Array(Buffer.from(base64, 'base64'));
  if (bytes.byteLength > MAX_WEIGHT_BYTES) throw new AppError('BAD_REQUEST', 'WEIGHTS_TOO_LARGE', `Weights are limited to ${MAX_WEIGHT_BYTES / (1024 * 1024)} MB.`, 'weightsBase64');
  let metadata: Record<string, string>;
  try {
    metadata = readSafetensors(bytes).metadata;
  } catch (error) {
    throw new AppError('BAD_REQUEST', 'BAD_WEIGHTS', `The weights are not a valid safetensors file: ${error instanceof Error ? error.message : String(error)}`, 'weightsBase64');
  }
  try {
    return { bytes, model: readModelMetadata(metadata) };
  } catch (error) {
    throw new AppError('BAD_REQUEST', 'BAD_WEIGHTS', `The weights file's preprocessing metadata is malformed: ${error instanceof Error ? error.message : String(error)}`, 'weightsBase64');
  }
}

function sameValues(a: ArrayLike<number>, b: ArrayLike<number>): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i] && !(Number.isNaN(a[i]) && Number.isNaN(b[i]))) return false;
  return true;
}

/**
 * The run's checkpoint, checked before anything is stored: a compute/export checkpoint whose
 * weights are exactly the run's weights (names, shapes and values), so a job started from it
 * starts from what the run shows.
 */
function decodeCheckpoint(base64: string, weights: Uint8Array): { bytes: Uint8Array; step: number; optimizer: string } {
  const bytes = new Uint8Array(Buffer.from(base64, 'base64'));
  const bad = (why: string) => new AppError('BAD_REQUEST', 'BAD_RUN_CHECKPOINT', `The run's checkpoint ${why}.`, 'checkpointBase64');
  if (bytes.byteLength > MAX_CHECKPOINT_BYTES) throw bad(`is over the ${MAX_CHECKPOINT_BYTES / (1024 * 1024)} MB limit`);
  let checkpoint;
  try {
    checkpoint = loadCheckpoint(bytes);
  } catch (error) {
    throw bad(`is not a valid checkpoint: ${error instanceof Error ? error.message : String(error)}`);
  }
  const tensors = readSafetensors(weights).tensors;
  for (const [name, t] of tensors) {
    const p = checkpoint.params.get(name);
    if (!p) throw bad(`lacks the weight '${name}'`);
    if (p.shape.join('x') !== t.shape.join('x')) throw bad(`holds '${name}' as ${p.shape.join('x') || 'a scalar'}, the weights as ${t.shape.join('x') || 'a scalar'}`);
    if (!sameValues(p.data, t.data)) throw bad(`holds other values for '${name}' than the run's weights`);
  }
  for (const name of checkpoint.params.keys()) if (!tensors.has(name)) throw bad(`has a tensor '${name}' the weights lack`);
  return { bytes, step: checkpoint.optimizer.step, optimizer: checkpoint.optimizer.config.type };
}

/** The run's preprocessing: as sent, or as the weights file records it; the two must agree when both are there. */
function runPreprocessing(input: SaveRunInput, fromWeights: ModelMetadata | null): { preprocessing: Preprocessing | null; classNames: string[]; inputColumns: InputColumn[] | null } {
  if (input.preprocessing && fromWeights && JSON.stringify(input.preprocessing) !== JSON.stringify(fromWeights.preprocessing)) {
    throw new AppError('BAD_REQUEST', 'PREPROCESSING_MISMATCH', 'The preprocessing sent with the run differs from the one recorded in its weights file.', 'preprocessing');
  }
  const classNames = input.classNames && input.classNames.length > 0 ? input.classNames : [...(fromWeights?.classNames ?? [])];
  const preprocessing = input.preprocessing ?? fromWeights?.preprocessing ?? null;
  return { preprocessing, classNames, inputColumns: runInputColumns(input, fromWeights, preprocessing) };
}

/** The run's input columns, as sent or as the weights file records them: they must agree with each other and encode to the preprocessing's width. */
function runInputColumns(input: SaveRunInput, fromWeights: ModelMetadata | null, preprocessing: Preprocessing | null): InputColumn[] | null {
  const recorded = fromWeights?.inputColumns;
  if (input.inputColumns && recorded && JSON.stringify(input.inputColumns) !== JSON.stringify(recorded)) {
    throw new AppError('BAD_REQUEST', 'INPUT_COLUMNS_MISMATCH', 'The input columns sent with the run differ from the ones recorded in its weights file.', 'inputColumns');
  }
  const columns = input.inputColumns ?? (recorded ? [...recorded] : null);
  if (!columns) return null;
  if (!preprocessing) throw new AppError('BAD_REQUEST', 'INPUT_COLUMNS_MISMATCH', 'Input columns describe how raw rows become features, so they need the preprocessing those features are scaled with; send it too.', 'inputColumns');
  const mismatch = inputColumnsMismatch(columns, preprocessing);
  if (mismatch) throw new AppError('BAD_REQUEST', 'INPUT_COLUMNS_MISMATCH', `${mismatch}.`, 'inputColumns');
  return columns;
}

/**
 * Stores a finished (or stopped) run: the weights go to GridFS first, then one insert makes the run
 * visible, so a failure part-way leaves no run pointing at missing weights. A repeated save with the
 * same clientRunId returns the first run and drops the duplicate upload.
 */
export interface SaveRunOptions {
  /** A checkpoint already stored as a blob (a network job's final one): the run points at it instead of taking checkpointBase64. */
  storedCheckpoint?: RunCheckpoint;
}

export async function saveRun(db: Db, userId: ObjectId, input: SaveRunInput, options: SaveRunOptions = {}): Promise<{ id: string; created: boolean }> {
  const { model } = await requireModel(db, input.modelId, userId, 'editor');
  const runs = runsCollection(db);
  const existing = await runs.findOne({ modelId: model._id, clientRunId: input.clientRunId }, { projection: { _id: 1 } });
  if (existing) return { id: existing._id.toHexString(), created: false };

  const { bytes: weights, model: fromWeights } = decodeWeights(input.weightsBase64);
  const { preprocessing, classNames, inputColumns } = runPreprocessing(input, fromWeights);
  const sent = input.checkpointBase64 ? decodeCheckpoint(input.checkpointBase64, weights) : null;
  const trainedOn = await resolveRunDataset(db, userId, input.datasetId, input.datasetSha256);
  const _id = new ObjectId();
  // Content-addressed and never rewritten, so storing it first leaves at worst an unreferenced blob.
  const checkpoint: RunCheckpoint | null = sent
    ? { sha256: (await putBlob(db, sha256Hex(sent.bytes), sent.bytes, { kind: 'run-checkpoint', runId: _id })).sha256, bytes: sent.bytes.byteLength, step: sent.step, optimizer: sent.optimizer }
    : (options.storedCheckpoint ?? null);
  const artifact = await putArtifact(db, `${_id.toHexString()}.safetensors`, weights, { kind: 'weights', runId: _id, modelId: model._id });
  const doc: RunDoc = {
    _id,
    modelId: model._id,
    userId,
    clientRunId: input.clientRunId,
    name: input.name,
    config: input.config,
    dataset: input.dataset,
    datasetId: trainedOn.datasetId,
    datasetSha256: trainedOn.datasetSha256,
    graphHash: input.graphHash ?? null,
    device: input.device,
    status: input.status,
    metrics: { epochs: input.epochs, batches: input.batches },
    finalAccuracy: input.finalAccuracy,
    finalLoss: input.finalLoss,
    testAccuracy: input.testAccuracy ?? null,
    testLoss: input.testLoss ?? null,
    steps: input.steps,
    wallTimeMs: input.wallTimeMs,
    preprocessing,
    classNames,
    inputColumns,
    weights: artifact,
    checkpoint,
    createdAt: new Date(),
  };
  try {
    await runs.insertOne(doc);
    return { id: _id.toHexString(), created: true };
  } catch (error) {
    await deleteArtifact(db, artifact.fileId);
    if (error instanceof MongoServerError && error.code === 11000) {
      const first = await runs.findOne({ modelId: model._id, clientRunId: input.clientRunId }, { projection: { _id: 1 } });
      if (first) return { id: first._id.toHexString(), created: false };
    }
    throw error;
  }
}

async function names(db: Db, ids: ObjectId[]): Promise<Map<string, string>> {
  const users = await collections(db).users.find({ _id: { $in: ids } }, { projection: { username: 1, email: 1 } }).toArray();
  return new Map(users.map((u) => [u._id.toHexString(), u.username ?? u.email]));
}

function summarize(doc: RunDoc, by: Map<string, string>): RunSummary {
  return {
    id: doc._id.toHexString(),
    modelId: doc.modelId.toHexString(),
    name: doc.name,
    by: by.get(doc.userId.toHexString()) ?? 'unknown',
    dataset: doc.dataset,
    datasetId: doc.datasetId ?? null,
    datasetSha256: doc.datasetSha256 ?? null,
    graphHash: doc.graphHash ?? null,
    device: doc.device,
    status: doc.status,
    config: doc.config,
    finalAccuracy: doc.finalAccuracy,
    finalLoss: doc.finalLoss,
    testAccuracy: doc.testAccuracy ?? null,
    testLoss: doc.testLoss ?? null,
    epochs: doc.metrics.epochs.length,
    steps: doc.steps,
    wallTimeMs: doc.wallTimeMs,
    weights: { sha256: doc.weights.sha256, bytes: doc.weights.bytes },
    checkpoint: doc.checkpoint ? { step: doc.checkpoint.step, optimizer: doc.checkpoint.optimizer } : null,
    createdAt: doc.createdAt,
  };
}

/** The model's runs, newest first, a page at a time; anyone who can see the model can see them. */
export async function listRuns(db: Db, userId: ObjectId, modelId: string, request: PageRequest = {}): Promise<Page<RunSummary>> {
  const { model } = await requireModel(db, modelId, userId, 'viewer');
  // The batch samples are the bulk of a run; the list needs only the epoch count.
  const page = await newestFirstPage(runsCollection(db), { modelId: model._id }, request, { 'metrics.batches': 0 });
  const docs = page.items;
  const by = await names(db, [...new Set(docs.map((d) => d.userId.toHexString()))].map((id) => new ObjectId(id)));
  return { items: docs.map((d) => summarize({ ...d, metrics: { epochs: d.metrics?.epochs ?? [], batches: [] } }, by)), nextCursor: page.nextCursor };
}

/** The run, when the caller can read it (a viewer of its model); NOT_FOUND RUN_NOT_FOUND otherwise, missing or not. */
export async function requireReadableRun(db: Db, userId: ObjectId, runId: string): Promise<RunDoc> {
  return findRun(db, userId, runId);
}

async function findRun(db: Db, userId: ObjectId, runId: string): Promise<RunDoc> {
  if (!ObjectId.isValid(runId)) throw notFound();
  const doc = await runsCollection(db).findOne({ _id: new ObjectId(runId) });
  if (!doc) throw notFound();
  try {
    await requireModel(db, doc.modelId.toHexString(), userId, 'viewer');
  } catch (error) {
    // Same answer as a missing run, so run ids cannot be probed.
    if (error instanceof AppError && error.kind === 'NOT_FOUND') throw notFound();
    throw error;
  }
  return doc;
}

export async function getRun(db: Db, userId: ObjectId, runId: string): Promise<RunDetail> {
  const doc = await findRun(db, userId, runId);
  return { ...summarize(doc, await names(db, [doc.userId])), metrics: doc.metrics, preprocessing: doc.preprocessing ?? null, classNames: doc.classNames ?? [], inputColumns: doc.inputColumns ?? null };
}

/** The run's weights file, checked against its SHA-256. */
export async function runWeights(db: Db, userId: ObjectId, runId: string): Promise<{ name: string; sha256: string; data: Uint8Array }> {
  const doc = await findRun(db, userId, runId);
  return { name: doc.name, sha256: doc.weights.sha256, data: await readArtifact(db, doc.weights.fileId, doc.weights.sha256) };
}
