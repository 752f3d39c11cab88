export type ProblemCode =
  | 'UNKNOWN_LAYER'
  | 'DUPLICATE_ID'
  | 'DANGLING_EDGE'
  | 'CYCLE'
  | 'UNCONNECTED_INPUT'
  | 'MULTIPLE_EDGES_TO_INPUT'
  | 'NO_INPUT'
  | 'NO_LOSS'
  | 'PORT_TYPE_MISMATCH'
  | 'SHAPE_MISMATCH'
  | 'INVALID_PARAM'
  /** The chosen dataset's examples do not have as many values as the Input takes. */
  | 'DATASET_FEATURES_MISMATCH'
  /** The chosen dataset's class count differs from the units of the layer feeding the loss. */
  | 'DATASET_CLASSES_MISMATCH';

/** One thing wrong with a graph, addressed to the element the canvas should highlight. */
export interface Problem {
  readonly code: ProblemCode;
  /** A sentence for people; never shown with a stack trace. */
  readonly message: string;
  readonly nodeId?: string;
  readonly edgeId?: string;
  /** Top-level parameter name for INVALID_PARAM, so the form can mark the field. */
  readonly param?: string;
  /** Every node on the loop, for CYCLE. */
  readonly nodeIds?: readonly string[];
}
