import { TRPCClientError } from '@trpc/client';

/**
 * Why a call to the platform failed, as the heartbeat loop decides what to do next:
 * - unavailable: not reached, or it answered 5xx (a restart, a proxy page): retry with backoff;
 * - too-fast: 429, the per-machine rate limit: wait a beat;
 * - refused: any other 4xx: asking again will not change the answer.
 */
export interface ApiFailure {
  kind: 'unavailable' | 'too-fast' | 'refused';
  httpStatus: number | null;
  /** The platform's stable code (e.g. MACHINE_CREDENTIAL_REVOKED), or null when it did not answer one. */
  code: string | null;
  message: string;
}

/** A non-2xx answer of one of the platform's plain HTTP routes (blobs, checkpoints), with its JSON code. */
export class PlatformHttpError extends Error {
  constructor(
    readonly httpStatus: number,
    readonly code: string | null,
    message: string,
  ) {
    super(message);
    this.name = 'PlatformHttpError';
  }
}

export function classifyFailure(error: unknown): ApiFailure {
  if (error instanceof PlatformHttpError) {
    const kind = error.httpStatus >= 500 ? 'unavailable' : error.httpStatus === 429 ? 'too-fast' : 'refused';
    return { kind, httpStatus: error.httpStatus, code: error.code, message: error.message };
  }
  if (error instanceof TRPCClientError) {
    const data = error.data as { httpStatus?: number; appCode?: string } | undefined;
    const status = typeof data?.httpStatus === 'number' ? data.httpStatus : null;
    const code = typeof data?.appCode === 'string' ? data.appCode : null;
    if (status !== null && status < 500) return { kind: status === 429 ? 'too-fast' : 'refused', httpStatus: status, code, message: error.message };
    if (status !== null) return { kind: 'unavailable', httpStatus: status, code, message: error.message };
    // No tRPC answer at all: connection refused, DNS, a non-JSON page from a proxy.
    const cause = error.cause instanceof Error ? (error.cause.cause instanceof Error ? error.cause.cause.message : error.cause.message) : error.message;
    return { kind: 'unavailable', httpStatus: null, code: null, message: cause };
  }
  return { kind: 'unavailable', httpStatus: null, code: null, message: error instanceof Error ? error.message : String(error) };
}

/**
 * The platform says this machine no longer holds the job (another epoch took over, or the job moved
 * on): the runner stops that job at once and drops its work.
 */
export function isLeaseLost(failure: ApiFailure): boolean {
  return failure.kind === 'refused' && (failure.code === 'STALE_LEASE_EPOCH' || failure.code === 'JOB_NOT_HELD' || failure.httpStatus === 409);
}

/** 401 for this machine's credential: removed by its owner, or never known here. The runner must stop. */
export function isCredentialRejected(failure: ApiFailure): boolean {
  return failure.httpStatus === 401;
}
