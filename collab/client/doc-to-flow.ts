import type * as Y from 'yjs';
import { listNodes, visibleEdges } from '../doc/read';
import { EMPTY_LOCAL_STATE, type LocalFlowState } from './local-state';
import { LAYER_NODE_TYPE, type FlowGraph, type LayerFlowEdge, type LayerFlowNode } from './flow-types';

/**
 * React Flow nodes and edges for the document, with this tab's selection, drag positions and
 * measured sizes merged in. Edges whose ends are gone are not rendered.
 */
export function docToFlow(doc: Y.Doc, local: LocalFlowState = EMPTY_LOCAL_STATE): FlowGraph {
  const nodes: LayerFlowNode[] = listNodes(doc).map((n) => {
    const dragged = local.dragging.get(n.id);
    const measured = local.measured.get(n.id);
    const node: LayerFlowNode = {
      id: n.id,
      type: LAYER_NODE_TYPE,
      position: dragged ?? n.position,
      data: { layerType: n.type, label: n.label, params: n.params },
      selected: local.selectedNodes.has(n.id),
      dragging: dragged !== undefined,
    };
    // React Flow keeps unmeasured nodes invisible, so hand back what it measured.
    if (measured) node.measured = { width: measured.width, height: measured.height };
    return node;
  });
  const edges: LayerFlowEdge[] = visibleEdges(doc).map((e) => ({
    id: e.id,
    source: e.source,
    sourceHandle: e.sourceHandle,
    target: e.target,
    targetHandle: e.targetHandle,
    selected: local.selectedEdges.has(e.id),
  }));
  return { nodes, edges };
}
