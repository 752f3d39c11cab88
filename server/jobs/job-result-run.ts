import type { Db } from 'mongodb';
import { loadCheckpoint } from '../../compute/export/safetensors/checkpoint';
import { saveWeights } from '../../compute/export/safetensors/weights';
import { graphHash } from '../../compute/graph';
import { buildModelPlan } from '../../compute/model/plan';
import { SYNTHETIC_LABELS } from '../../compute/train/prepare-data';
import { getBlob } from '../blobs/blob-store';
import { saveRun } from '../runs/runs';
import { SaveRunInputSchema } from '../runs/schema';
import { jobCheckpointsCollection, jobProgressCollection, type JobDoc } from './collections';
import type { FrozenJobSpec } from './job-spec';

/**
 * Records a completed job as a saved run of its model (server/runs), so the Runs panel, the exports
 * and "continue in this tab" work as for a run trained in the tab: the final checkpoint's weights
 * (with the spec's metadata: preprocessing, class names, input columns), one epoch point per
 * verified checkpoint, the progress reports as batch points. Saved under the job's owner with
 * clientRunId `job-<id>`, so completing twice (a retry) stores one run.
 */
export async function recordJobRun(db: Db, job: JobDoc, spec: FrozenJobSpec, sha256: string, now: Date): Promise<string> {
  const bytes = await getBlob(db, sha256);
  if (!bytes) throw new Error(`Job ${job._id.toHexString()}'s final checkpoint ${sha256} is not stored`);
  const checkpoint = loadCheckpoint(bytes, { plan: buildModelPlan(spec.graph) });
  const weights = saveWeights(checkpoint.params, spec.checkpointMetadata);
  const [checkpoints, progress] = await Promise.all([
    jobCheckpointsCollection(db).find({ jobId: job._id, verified: true }).toArray(),
    jobProgressCollection(db).find({ jobId: job._id }).toArray(),
  ]);
  checkpoints.sort((a, b) => a.step - b.step);
  progress.sort((a, b) => a.seq - b.seq);
  const start = job.createdAt.getTime();
  const last = checkpoints.at(-1);
  const source = spec.data.source;
  const input = SaveRunInputSchema.parse({
    modelId: job.modelId.toHexString(),
    clientRunId: `job-${job._id.toHexString()}`,
    name: `Network job ${job._id.toHexString().slice(-6)}`,
    config: spec.train as Record<string, unknown>,
    dataset: source.kind === 'csv' ? source.label : SYNTHETIC_LABELS[source.name],
    datasetId: job.datasetId,
    datasetSha256: source.kind === 'csv' ? source.sha256 : null,
    graphHash: graphHash(spec.graph),
    device: `network job on machine ${last?.machineId ?? 'unknown'}`,
    status: 'completed',
    epochs: checkpoints.map((c) => ({ epoch: c.epochIndex + 1, step: c.step, loss: c.reported.trainLoss, accuracy: null, valLoss: c.platform.valLoss, valAccuracy: c.platform.valAccuracy, timeMs: Math.max(0, c.at.getTime() - start) })),
    batches: progress.slice(-2000).map((p) => ({ step: p.step, loss: p.loss, accuracy: p.accuracy })),
    finalAccuracy: last?.platform.valAccuracy ?? null,
    finalLoss: last?.platform.valLoss ?? null,
    steps: spec.totalSteps,
    wallTimeMs: Math.max(0, now.getTime() - start),
    weightsBase64: Buffer.from(weights).toString('base64'),
  });
  // The final checkpoint is already a blob: the run points at it, so the run can start another job ("continue on the network").
  const storedCheckpoint = { sha256, bytes: bytes.byteLength, step: checkpoint.optimizer.step, optimizer: checkpoint.optimizer.config.type };
  return (await saveRun(db, job.ownerId, input, { storedCheckpoint })).id;
}
