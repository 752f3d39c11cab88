import type { Graph, GraphNode } from '../graph/types';
import { getLayer } from '../layers/catalog';
import { parseLayerParams } from '../layers/parse-params';
import type { LayerSpec } from '../layers/types';
import type { Problem } from './problem';

export interface CheckedNode {
  readonly node: GraphNode;
  /** Undefined for an unknown layer type. */
  readonly spec: LayerSpec | undefined;
  /** Parsed params with defaults; undefined when the type is unknown or a param is invalid. */
  readonly params: Record<string, unknown> | undefined;
}

/** Nodes under dense indices, so later passes can use arrays instead of id lookups. */
export interface NodeTable {
  readonly index: Map<string, number>;
  readonly nodes: CheckedNode[];
}

/** Indexes nodes by id (the first with an id wins) and checks each node's type and params. */
export function checkNodes(graph: Graph, problems: Problem[]): NodeTable {
  const index = new Map<string, number>();
  const nodes: CheckedNode[] = [];
  for (const node of graph.nodes) {
    if (index.has(node.id)) {
      problems.push({ code: 'DUPLICATE_ID', nodeId: node.id, message: `Two nodes share the id '${node.id}'; ids must be unique` });
      continue;
    }
    index.set(node.id, nodes.length);
    nodes.push(checkNode(node, problems));
  }
  return { index, nodes };
}

function checkNode(node: GraphNode, problems: Problem[]): CheckedNode {
  const spec = getLayer(node.type);
  if (!spec) {
    problems.push({ code: 'UNKNOWN_LAYER', nodeId: node.id, message: `'${node.type}' is not a known layer type` });
    return { node, spec, params: undefined };
  }
  const parsed = parseLayerParams(spec, node.params);
  if (parsed.ok) return { node, spec, params: parsed.params };
  for (const issue of parsed.issues) {
    problems.push(
      issue.param === undefined
        ? { code: 'INVALID_PARAM', nodeId: node.id, message: `${spec.type}: ${issue.message}` }
        : { code: 'INVALID_PARAM', nodeId: node.id, param: issue.param, message: issue.message },
    );
  }
  return { node, spec, params: undefined };
}
