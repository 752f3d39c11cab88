export type SafetensorsErrorCode =
  | 'TOO_SHORT'
  | 'BAD_HEADER_LENGTH'
  | 'BAD_HEADER_JSON'
  | 'BAD_ENTRY'
  | 'UNSUPPORTED_DTYPE'
  | 'BAD_OFFSETS'
  | 'BAD_METADATA'
  | 'MISSING_TENSOR'
  | 'BAD_CHECKPOINT';

/** A malformed or unexpected safetensors file; `tensor` names the entry at fault when there is one. */
export class SafetensorsError extends Error {
  readonly code: SafetensorsErrorCode;
  readonly tensor: string | undefined;

  constructor(code: SafetensorsErrorCode, message: string, tensor?: string) {
    super(message);
    this.name = 'SafetensorsError';
    this.code = code;
    this.tensor = tensor;
  }
}
