import type { CheckpointAnswer, CheckpointReport, JobLeaseInput, JobProgressAnswer, JobProgressInput, JobSpec } from '../../server/jobs/runner-protocol';
import { REQUEST_TIMEOUT_MS, type PlatformClient } from '../api-client';
import { PlatformHttpError } from '../api-failure';

/**
 * What the job executor asks of the platform (server/jobs/runner-protocol.ts), as a seam: the
 * executor is tested on an in-process implementation, the runner uses platformJobApi's tRPC calls
 * and HTTP blob routes. Every call carries the lease (job id + epoch), the platform's fencing token.
 */
export interface JobApi {
  spec(lease: JobLeaseInput): Promise<JobSpec>;
  start(lease: JobLeaseInput): Promise<unknown>;
  progress(input: JobProgressInput): Promise<JobProgressAnswer>;
  complete(input: JobLeaseInput & { sha256: string }): Promise<unknown>;
  handBack(lease: JobLeaseInput): Promise<unknown>;
  fail(input: JobLeaseInput & { reason: string }): Promise<unknown>;
  /** The bytes the platform serves for this sha256 (the job's dataset or one of its checkpoints); not yet verified. */
  downloadBlob(sha256: string, lease: JobLeaseInput): Promise<Uint8Array>;
  uploadCheckpoint(lease: JobLeaseInput, bytes: Uint8Array, sha256: string, report: CheckpointReport): Promise<CheckpointAnswer>;
}

/** Uploads and downloads may be large: they get longer than a tRPC call. */
export const BLOB_TIMEOUT_MS = 10 * 60_000;

/** The platform's job API over tRPC (machine credential) and its two blob routes (the same Bearer). */
export function platformJobApi(server: string, credential: string, client: PlatformClient): JobApi {
  const base = server.replace(/\/+$/, '');
  const { runner } = client;
  const auth = { authorization: `Bearer ${credential}` };
  return {
    spec: (lease) => runner.jobSpec.query(lease),
    start: (lease) => runner.jobStart.mutate(lease),
    progress: (input) => runner.jobProgress.mutate(input),
    complete: (input) => runner.jobComplete.mutate(input),
    handBack: (lease) => runner.jobHandBack.mutate(lease),
    fail: (input) => runner.jobFail.mutate(input),
    async downloadBlob(sha256, lease) {
      const url = `${base}/api/runner/blobs/${sha256}?job=${encodeURIComponent(lease.jobId)}&epoch=${lease.epoch}`;
      const response = await httpCall(url, { headers: auth }, BLOB_TIMEOUT_MS);
      return new Uint8Array(await response.arrayBuffer());
    },
    async uploadCheckpoint(lease, bytes, sha256, report) {
      const url = `${base}/api/runner/jobs/${encodeURIComponent(lease.jobId)}/checkpoints?epoch=${lease.epoch}`;
      const response = await httpCall(
        url,
        {
          method: 'PUT',
          headers: { ...auth, 'content-type': 'application/octet-stream', 'x-cyxwiz-sha256': sha256, 'x-cyxwiz-report': JSON.stringify(report) },
          body: bytes as Uint8Array<ArrayBuffer>,
        },
        BLOB_TIMEOUT_MS,
      );
      return (await response.json()) as CheckpointAnswer;
    },
  };
}

/** A fetch whose non-2xx answer becomes a PlatformHttpError with the route's JSON `{ code, message }`. */
async function httpCall(url: string, init: RequestInit, timeoutMs: number = REQUEST_TIMEOUT_MS): Promise<Response> {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(timeoutMs) });
  if (response.ok) return response;
  let code: string | null = null;
  let message = `${init.method ?? 'GET'} ${new URL(url).pathname} answered ${response.status}`;
  try {
    const body = (await response.json()) as { code?: unknown; message?: unknown };
    if (typeof body.code === 'string') code = body.code;
    if (typeof body.message === 'string') message = body.message;
  } catch {
    // Not JSON (a proxy's page): the status says enough.
  }
  throw new PlatformHttpError(response.status, code, message);
}
