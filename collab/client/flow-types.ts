import type { Edge, Node } from '@xyflow/react';
import type { JsonValue } from '../doc/schema';

/** Every layer renders through one custom React Flow node type; the layer type lives in data. */
export const LAYER_NODE_TYPE = 'layer';

// A type alias, not an interface: React Flow's Node requires data to be a Record<string, unknown>.
export type LayerNodeData = {
  readonly layerType: string;
  readonly label: string | null;
  readonly params: Readonly<Record<string, JsonValue>>;
};

export type LayerFlowNode = Node<LayerNodeData, typeof LAYER_NODE_TYPE>;
export type LayerFlowEdge = Edge;

export interface FlowGraph {
  readonly nodes: readonly LayerFlowNode[];
  readonly edges: readonly LayerFlowEdge[];
}
