/**
 * The graph IR shared by the editor, the validator and the training engine.
 *
 * It is deliberately plain JSON: the collaborative document stores it, workers receive it
 * through postMessage, and the server snapshots it into the database.
 */

/** A tensor shape for ONE example: the batch dimension is never included. Images are HWC. */
export type Shape = readonly number[];

export interface GraphNode {
  readonly id: string;
  /** A layer type from the catalog, e.g. 'Dense'. */
  readonly type: string;
  /** Raw, user-edited parameters; validation fills in defaults and checks bounds. */
  readonly params?: Readonly<Record<string, unknown>>;
}

export interface GraphEdge {
  readonly id: string;
  readonly source: string;
  /** Output port name on the source node; may be omitted when that node has a single output. */
  readonly sourceHandle?: string | null;
  readonly target: string;
  /** Input port name on the target node; may be omitted when that node has a single input. */
  readonly targetHandle?: string | null;
}

export interface Graph {
  readonly nodes: readonly GraphNode[];
  readonly edges: readonly GraphEdge[];
}
