import type { DatasetError } from '../../compute/data';
import { AppError } from '../errors/app-error';

export interface CellLocation {
  row?: number;
  column?: number;
  columnName?: string;
}

/** 413: the data is over a size cap; 422: it is well-formed but too costly to parse (memory or time). */
export type RejectionStatus = 400 | 413 | 422;

/**
 * A refused dataset: an AppError (so tRPC maps it to 400 with a field error) that also carries the
 * row and column to look at, and the HTTP status the upload route answers with.
 */
export class DatasetRejected extends AppError {
  constructor(
    code: string,
    message: string,
    readonly location: CellLocation = {},
    readonly status: RejectionStatus = 400,
    field = 'file',
  ) {
    super('BAD_REQUEST', code, message, field);
    this.name = 'DatasetRejected';
  }
}

/** Parse errors that mean "over a cap" rather than "malformed". */
const TOO_LARGE: ReadonlySet<string> = new Set(['CSV_TOO_MANY_COLUMNS', 'CSV_TOO_MANY_CELLS', 'IDX_TOO_LARGE']);

/** compute/data's parse error, worded for a person and keeping its location. */
export function rejectionFrom(error: DatasetError, field = 'file'): DatasetRejected {
  const location: CellLocation = {
    ...(error.row === undefined ? {} : { row: error.row }),
    ...(error.column === undefined ? {} : { column: error.column }),
    ...(error.columnName === undefined ? {} : { columnName: error.columnName }),
  };
  return new DatasetRejected(error.code, `${error.message}.`.replace(/\.\.$/, '.'), location, TOO_LARGE.has(error.code) ? 413 : 400, field);
}
