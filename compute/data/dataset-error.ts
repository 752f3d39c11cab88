export type DatasetErrorCode =
  | 'EMPTY_FILE'
  | 'RAGGED_ROW'
  | 'NON_NUMERIC_CELL'
  | 'LABEL_OUT_OF_RANGE'
  | 'LABEL_COLUMN_NOT_FOUND'
  | 'BAD_IDX_MAGIC'
  | 'IDX_SIZE_MISMATCH'
  | 'IDX_BAD_DIMENSION'
  | 'IDX_TOO_LARGE'
  | 'CSV_TOO_MANY_COLUMNS'
  | 'CSV_TOO_MANY_CELLS'
  | 'CSV_TOO_MANY_CATEGORIES'
  | 'CSV_CATEGORY_TOO_LONG'
  | 'CSV_UNCLOSED_QUOTE'
  | 'MISSING_VALUE'
  | 'LABEL_COUNT_MISMATCH'
  | 'INVALID_OPTION'
  | 'PREPROCESSING_NO_ROWS'
  | 'PREPROCESSING_FEATURE_MISMATCH';

export interface DatasetErrorLocation {
  /** 1-based line in the file, as an editor shows it; for IDX, the 1-based example number. */
  readonly row?: number;
  /** 1-based column. */
  readonly column?: number;
  /** Column name from the header row, when there is one. */
  readonly columnName?: string;
}

/** Malformed data or options, with a stable code and the place a person should look. */
export class DatasetError extends Error {
  readonly row: number | undefined;
  readonly column: number | undefined;
  readonly columnName: string | undefined;

  constructor(
    readonly code: DatasetErrorCode,
    message: string,
    location: DatasetErrorLocation = {},
  ) {
    super(message);
    this.name = 'DatasetError';
    this.row = location.row;
    this.column = location.column;
    this.columnName = location.columnName;
  }
}
