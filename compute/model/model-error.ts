/** Stable codes so callers (UI, job runner) can react without parsing messages. */
export type ModelErrorCode =
  | 'INVALID_GRAPH'
  | 'UNSUPPORTED_LAYER'
  | 'MISSING_FEED'
  | 'BAD_FEED'
  | 'MISSING_PARAMETER'
  | 'BAD_PARAMETER'
  | 'BAD_GRADIENTS';

export class ModelError extends Error {
  readonly code: ModelErrorCode;
  /** The graph node at fault, when there is one, so the canvas can point at it. */
  readonly nodeId: string | undefined;

  constructor(code: ModelErrorCode, message: string, nodeId?: string) {
    super(message);
    this.name = 'ModelError';
    this.code = code;
    this.nodeId = nodeId;
  }
}
