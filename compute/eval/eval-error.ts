/** Stable codes for predictions that cannot be scored; messages name the row or class at fault. */
export type EvalErrorCode = 'EVAL_LENGTH_MISMATCH' | 'EVAL_LABEL_OUT_OF_RANGE' | 'EVAL_NON_FINITE_OUTPUT' | 'EVAL_BAD_CLASS_COUNT';

export class EvalError extends Error {
  readonly code: EvalErrorCode;
  /** 0-based example index at fault, when there is one. */
  readonly row: number | undefined;

  constructor(code: EvalErrorCode, message: string, row?: number) {
    super(message);
    this.name = 'EvalError';
    this.code = code;
    this.row = row;
  }
}
