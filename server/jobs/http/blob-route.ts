import { Readable } from 'node:stream';
import type { Db } from 'mongodb';
import { findBlob, openBlob } from '../../blobs/blob-store';
import { openDatasetFile } from '../../datasets/blob-store';
import { errorResponse } from '../../datasets/http/json-error';
import { AppError } from '../../errors/app-error';
import { jobCheckpointsCollection } from '../collections';
import { jobCsvOrigin } from '../job-data-source';
import { requireHeldJob } from '../job-lease-guard';
import { readJobSpec } from '../job-spec';
import { sha256Schema } from '../runner-protocol';
import { epochParam, requireMachine } from './machine-caller';

export const RUNNER_BLOBS_PATH = '/api/runner/blobs/';

function notFound(sha256: string): AppError {
  return new AppError('NOT_FOUND', 'BLOB_NOT_FOUND', `Blob ${sha256.slice(0, 12)}… is not one of this job's dataset or checkpoints.`, 'sha256');
}

function streamed(stream: NodeJS.ReadableStream | Uint8Array, sha256: string, bytes: number): Response {
  const body = stream instanceof Uint8Array ? new Blob([stream as Uint8Array<ArrayBuffer>]).stream() : (Readable.toWeb(stream as Readable) as ReadableStream<Uint8Array>);
  return new Response(body, { status: 200, headers: { 'content-type': 'application/octet-stream', 'content-length': String(bytes), 'x-content-sha256': sha256, 'cache-control': 'private, no-store' } });
}

/**
 * GET /api/runner/blobs/<sha256>?job=<id>&epoch=<n> with the machine credential: streams the job's
 * dataset CSV or one of its checkpoints, only while this machine holds the job's current lease
 * (409 STALE_LEASE_EPOCH / JOB_NOT_HELD otherwise). Anything else is 404, whether or not it exists.
 */
export async function handleRunnerBlob(request: Request, db: Db, sha256: string): Promise<Response> {
  try {
    const machine = await requireMachine(db, request);
    if (!sha256Schema.safeParse(sha256).success) throw new AppError('BAD_REQUEST', 'INVALID_SHA256', 'Name the blob by its lowercase hex SHA-256.', 'sha256');
    const url = new URL(request.url);
    const jobId = url.searchParams.get('job') ?? '';
    if (!/^[0-9a-f]{24}$/.test(jobId)) throw new AppError('BAD_REQUEST', 'JOB_REQUIRED', 'Name the job as ?job=<id>.', 'job');
    const job = await requireHeldJob(db, machine.id.toHexString(), jobId, epochParam(url));
    const spec = await readJobSpec(db, job._id);
    const source = spec?.data.source;
    if (source?.kind === 'csv' && source.sha256 === sha256) {
      const origin = await jobCsvOrigin(db, job.datasetId, sha256);
      if (!origin) throw notFound(sha256);
      if (origin.kind === 'builtin') return streamed(origin.bytes, sha256, origin.bytes.byteLength);
      return streamed(openDatasetFile(db, origin.dataset.files.data.fileId), sha256, origin.dataset.files.data.bytes);
    }
    // The job's own checkpoints, and the one it started from (a saved run's: start-from-run.ts).
    const checkpoint = job.startFrom?.sha256 === sha256 || (await jobCheckpointsCollection(db).findOne({ jobId: job._id, sha256 }, { projection: { _id: 1 } }));
    const blob = checkpoint ? await findBlob(db, sha256) : null;
    if (!blob) throw notFound(sha256);
    return streamed(openBlob(db, blob), sha256, blob.bytes);
  } catch (error) {
    return errorResponse(error);
  }
}
