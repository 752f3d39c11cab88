import type { Db } from 'mongodb';
import { errorResponse } from '../../datasets/http/json-error';
import { AppError } from '../../errors/app-error';
import { readBodyCapped, TOO_LARGE } from '../../http/read-body-capped';
import { acceptCheckpoint } from '../checkpoint-upload';
import { MAX_CHECKPOINT_BYTES, sha256Schema } from '../runner-protocol';
import { epochParam, requireMachine } from './machine-caller';

/** /api/runner/jobs/<jobId>/checkpoints */
export const RUNNER_CHECKPOINT_PATH = /^\/api\/runner\/jobs\/([0-9a-f]{24})\/checkpoints$/;

/**
 * PUT /api/runner/jobs/<jobId>/checkpoints?epoch=<n>: the checkpoint's bytes (at most
 * MAX_CHECKPOINT_BYTES), headers x-cyxwiz-sha256 and x-cyxwiz-report. 200 with the
 * CheckpointAnswer (verified or not: an invalid checkpoint is a verdict, not an error); JSON
 * errors with codes otherwise (400 BLOB_HASH_MISMATCH, 409 STALE_LEASE_EPOCH / JOB_NOT_HELD, 413).
 */
export async function handleCheckpointUpload(request: Request, db: Db, jobId: string, now: () => Date = () => new Date()): Promise<Response> {
  try {
    const machine = await requireMachine(db, request);
    const epoch = epochParam(new URL(request.url));
    const sha256 = request.headers.get('x-cyxwiz-sha256') ?? '';
    if (!sha256Schema.safeParse(sha256).success) throw new AppError('BAD_REQUEST', 'INVALID_SHA256', 'Send the checkpoint\'s lowercase hex SHA-256 in the x-cyxwiz-sha256 header.', 'x-cyxwiz-sha256');
    const bytes = await readBodyCapped(request, MAX_CHECKPOINT_BYTES);
    if (bytes === TOO_LARGE) {
      return Response.json({ code: 'CHECKPOINT_TOO_LARGE', message: `A checkpoint may be at most ${MAX_CHECKPOINT_BYTES / 2 ** 20} MiB.`, field: 'body' }, { status: 413 });
    }
    const answer = await acceptCheckpoint(db, machine.id.toHexString(), { jobId, epoch, sha256, reportJson: request.headers.get('x-cyxwiz-report'), bytes }, now());
    return Response.json(answer);
  } catch (error) {
    return errorResponse(error);
  }
}
