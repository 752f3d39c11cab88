/** Stable codes for bad training requests; messages name the field or layer at fault. */
export type TrainErrorCode = 'INVALID_CONFIG' | 'DATA_MISMATCH' | 'EMPTY_DATASET' | 'NOT_READY' | 'BAD_CHECKPOINT';

export class TrainError extends Error {
  readonly code: TrainErrorCode;
  /** The config field (e.g. `batchSize`) or graph node at fault, when there is one. */
  readonly field: string | undefined;

  constructor(code: TrainErrorCode, message: string, field?: string) {
    super(message);
    this.name = 'TrainError';
    this.code = code;
    this.field = field;
  }
}
