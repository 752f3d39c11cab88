import { ObjectId, type Db } from 'mongodb';
import { collections } from '../db/collections';
import { machinesCollection } from '../machines/collections';
import { requireModel } from '../models/access';
import { jobsCollection, type JobDoc, type JobProgressSummary } from './collections';
import type { JobStatus } from './job-machine';

/** The most jobs a list answers, newest first. */
export const JOB_LIST_LIMIT = 100;

/** The runner's latest report, as the list and the job page show it (times as ISO text). */
export interface JobLatestView {
  step: number;
  epochIndex: number;
  loss: number | null;
  accuracy: number | null;
  valLoss: number | null;
  valAccuracy: number | null;
  samplesPerSecond: number | null;
  etaSeconds: number | null;
  machineId: string;
  at: string;
}

export interface JobView {
  id: string;
  modelId: string;
  ownerId: string;
  datasetId: string | null;
  status: JobStatus;
  /** Bumped by every transition: a watcher re-reads the timeline and checkpoints when it moves. */
  version: number;
  /** Fraction done (step / totalSteps of the latest report), 1 once completed, null before any report. */
  progress: number | null;
  /** Optimizer steps of the whole run (frozen at submit); null for jobs made without a spec. */
  totalSteps: number | null;
  latest: JobLatestView | null;
  /** The step of the newest verified checkpoint: a resumed job starts there. */
  lastCheckpointStep: number | null;
  /** The saved run holding the final weights, once completed. */
  resultRunId: string | null;
  /** "Continue on the network": the saved run the job started from, at which step, and the epochs it already held. */
  startFrom: { runId: string; runName: string; step: number; epochsDone: number; resumesOptimizer: boolean } | null;
  /** µCYX: what the escrow locked (the approved quote), released from it (provider + fee) and refunded. */
  quotedMicro: string;
  paidMicro: string;
  refundedMicro: string;
  machineId: string | null;
  requirements: JobDoc['requirements'];
  priceCapMicro: string;
  config: JobDoc['config'];
  failureReason: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A list row: the view plus the names people read (one query each for the whole page, not per row). */
export interface JobListItem extends JobView {
  modelName: string | null;
  machineName: string | null;
}

const DONE: readonly JobStatus[] = ['COMPLETED', 'PAYMENT_RELEASED'];

function latestView(p: JobProgressSummary): JobLatestView {
  return {
    step: p.step,
    epochIndex: p.epochIndex,
    loss: p.loss,
    accuracy: p.accuracy,
    valLoss: p.valLoss,
    valAccuracy: p.valAccuracy,
    samplesPerSecond: p.samplesPerSecond,
    etaSeconds: p.etaSeconds,
    machineId: p.machineId,
    at: p.at.toISOString(),
  };
}

function fractionDone(job: JobDoc): number | null {
  if (DONE.includes(job.status)) return 1;
  const p = job.progress;
  const total = p?.totalSteps ?? job.totalSteps ?? 0;
  if (!p || !(total > 0)) return null;
  return Math.min(1, Math.max(0, p.step / total));
}

export function jobView(job: JobDoc): JobView {
  return {
    id: job._id.toHexString(),
    modelId: job.modelId.toHexString(),
    ownerId: job.ownerId.toHexString(),
    datasetId: job.datasetId ?? null,
    status: job.status,
    version: job.version,
    progress: fractionDone(job),
    totalSteps: job.totalSteps ?? job.progress?.totalSteps ?? null,
    latest: job.progress ? latestView(job.progress) : null,
    lastCheckpointStep: job.lastCheckpoint?.step ?? null,
    resultRunId: job.resultRunId ?? null,
    startFrom: job.startFrom ? { runId: job.startFrom.runId, runName: job.startFrom.runName, step: job.startFrom.step, epochsDone: job.startFrom.epochsDone, resumesOptimizer: job.startFrom.resumesOptimizer } : null,
    quotedMicro: job.escrowMicro ?? '0',
    paidMicro: job.paidMicro ?? '0',
    refundedMicro: job.refundedMicro ?? '0',
    // A job between machines still names the one that last ran it (its latest report says which).
    machineId: job.lease?.machineId ?? job.progress?.machineId ?? null,
    requirements: job.requirements,
    priceCapMicro: job.priceCapMicro,
    config: job.config ?? null,
    failureReason: job.failureReason,
    createdAt: job.createdAt.toISOString(),
    updatedAt: job.updatedAt.toISOString(),
  };
}

/** Names by id for a page of rows: one `_id $in` query per collection, nothing when there is nothing to ask. */
export async function namesOf(db: Db, modelIds: readonly ObjectId[], machineIds: readonly string[]): Promise<{ models: Map<string, string>; machines: Map<string, string> }> {
  const uniqueModels = [...new Map(modelIds.map((id) => [id.toHexString(), id])).values()];
  const uniqueMachines = [...new Set(machineIds)].filter((id) => ObjectId.isValid(id)).map((id) => new ObjectId(id));
  const [models, machines] = await Promise.all([
    uniqueModels.length ? collections(db).models.find({ _id: { $in: uniqueModels } }, { projection: { name: 1 } }).toArray() : [],
    uniqueMachines.length ? machinesCollection(db).find({ _id: { $in: uniqueMachines } }, { projection: { name: 1 } }).toArray() : [],
  ]);
  return {
    models: new Map(models.map((m) => [m._id.toHexString(), m.name])),
    machines: new Map(machines.map((m) => [m._id.toHexString(), m.name])),
  };
}

/** Views with their model and machine names filled in. */
export async function withNames(db: Db, jobs: readonly JobDoc[], knownModelName?: string): Promise<JobListItem[]> {
  const views = jobs.map(jobView);
  const machineIds = views.flatMap((v) => (v.machineId ? [v.machineId] : []));
  const names = await namesOf(db, knownModelName === undefined ? jobs.map((j) => j.modelId) : [], machineIds);
  return views.map((v) => ({
    ...v,
    modelName: knownModelName ?? names.models.get(v.modelId) ?? null,
    machineName: v.machineId ? (names.machines.get(v.machineId) ?? null) : null,
  }));
}

/**
 * A model's jobs (for anyone on its access list: the model's NOT_FOUND otherwise), or without a
 * model the caller's own. Equality on an indexed top-level field, then one name query per kind.
 */
export async function listJobs(db: Db, userId: ObjectId, modelId?: string): Promise<JobListItem[]> {
  const model = modelId ? (await requireModel(db, modelId, userId, 'viewer')).model : null;
  const filter = model ? { modelId: model._id } : { ownerId: userId };
  const jobs = await jobsCollection(db).find(filter).sort({ createdAt: -1, _id: -1 }).limit(JOB_LIST_LIMIT).toArray();
  return withNames(db, jobs, model?.name);
}
