import { jsonEqual } from '../doc/json';
import type { FlowGraph, LayerFlowEdge, LayerFlowNode } from './flow-types';

/**
 * Keeps object identity for nodes and edges that did not change since the previous render, so
 * React Flow's memoised node components only re-render what a transaction actually touched
 * (a peer dragging one node must not re-render fifty).
 */
export function reuseUnchanged(prev: FlowGraph | null, next: FlowGraph): FlowGraph {
  if (!prev) return next;
  const oldNodes = new Map(prev.nodes.map((n) => [n.id, n]));
  const oldEdges = new Map(prev.edges.map((e) => [e.id, e]));
  const nodes = next.nodes.map((n) => {
    const old = oldNodes.get(n.id);
    return old && sameNode(old, n) ? old : n;
  });
  const edges = next.edges.map((e) => {
    const old = oldEdges.get(e.id);
    return old && sameEdge(old, e) ? old : e;
  });
  const sameNodes = nodes.length === prev.nodes.length && nodes.every((n, i) => n === prev.nodes[i]);
  const sameEdges = edges.length === prev.edges.length && edges.every((e, i) => e === prev.edges[i]);
  if (sameNodes && sameEdges) return prev;
  return { nodes: sameNodes ? prev.nodes : nodes, edges: sameEdges ? prev.edges : edges };
}

function sameNode(a: LayerFlowNode, b: LayerFlowNode): boolean {
  return (
    a.position.x === b.position.x &&
    a.position.y === b.position.y &&
    a.selected === b.selected &&
    a.dragging === b.dragging &&
    a.measured?.width === b.measured?.width &&
    a.measured?.height === b.measured?.height &&
    a.data.layerType === b.data.layerType &&
    a.data.label === b.data.label &&
    jsonEqual(a.data.params, b.data.params)
  );
}

function sameEdge(a: LayerFlowEdge, b: LayerFlowEdge): boolean {
  return (
    a.source === b.source &&
    a.target === b.target &&
    a.sourceHandle === b.sourceHandle &&
    a.targetHandle === b.targetHandle &&
    a.selected === b.selected
  );
}
