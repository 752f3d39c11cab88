/** Stable codes so the UI and the node-runner can react without parsing messages. */
export type EngineErrorCode =
  | 'UNSUPPORTED_LAYER'
  | 'UNSUPPORTED_GRAPH'
  | 'BUFFER_TOO_LARGE'
  | 'BAD_BATCH'
  | 'BAD_PARAMETERS'
  | 'BAD_OPTIMIZER_STATE'
  | 'DESTROYED';

export class EngineError extends Error {
  readonly code: EngineErrorCode;
  /** The graph node at fault, when there is one. */
  readonly nodeId: string | undefined;

  constructor(code: EngineErrorCode, message: string, nodeId?: string) {
    super(message);
    this.name = 'EngineError';
    this.code = code;
    this.nodeId = nodeId;
  }
}
