import { AppError } from '../../errors/app-error';
import { DatasetRejected } from '../dataset-rejected';

const STATUS: Record<AppError['kind'], number> = { BAD_REQUEST: 400, UNAUTHORIZED: 401, FORBIDDEN: 403, NOT_FOUND: 404, CONFLICT: 409, TOO_MANY_REQUESTS: 429, SERVICE_UNAVAILABLE: 503 };

/**
 * The dataset routes answer errors as JSON `{ code, message, field?, row?, column?, columnName? }`
 * with a matching status; anything unexpected is logged and reported without details.
 */
export function errorResponse(error: unknown): Response {
  if (error instanceof DatasetRejected) {
    return Response.json({ code: error.code, message: error.message, field: error.field, ...error.location }, { status: error.status });
  }
  if (error instanceof AppError) {
    return Response.json({ code: error.code, message: error.message, ...(error.field ? { field: error.field } : {}) }, { status: STATUS[error.kind] });
  }
  console.error('dataset route failed:', error);
  return Response.json({ code: 'INTERNAL', message: 'Something went wrong on our side. Please try again.' }, { status: 500 });
}
