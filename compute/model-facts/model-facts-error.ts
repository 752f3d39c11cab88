/** Stable codes for bad arguments, with the argument at fault so a form can mark the field. */
export type ModelFactsErrorCode = 'INVALID_OPTION';

export class ModelFactsError extends Error {
  readonly code: ModelFactsErrorCode;
  readonly field: string;

  constructor(code: ModelFactsErrorCode, message: string, field: string) {
    super(message);
    this.name = 'ModelFactsError';
    this.code = code;
    this.field = field;
  }
}
