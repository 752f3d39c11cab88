import type { Graph, GraphEdge, GraphNode } from './types';

/**
 * Small fluent helper for writing graphs in code (templates, tests, benchmarks) without
 * hand-numbering ids. Ids are `${type.toLowerCase()}${n}` and edges `e${n}`.
 */
export class GraphBuilder {
  private readonly nodes: GraphNode[] = [];
  private readonly edges: GraphEdge[] = [];
  private readonly counts = new Map<string, number>();

  /** Adds a node and returns its id. */
  add(type: string, params: Record<string, unknown> = {}, id?: string): string {
    const prefix = type.toLowerCase();
    const n = (this.counts.get(prefix) ?? 0) + 1;
    this.counts.set(prefix, n);
    const nodeId = id ?? `${prefix}${n}`;
    this.nodes.push({ id: nodeId, type, params });
    return nodeId;
  }

  connect(source: string, target: string, targetHandle?: string, sourceHandle?: string): string {
    const id = `e${this.edges.length + 1}`;
    this.edges.push({
      id,
      source,
      target,
      ...(sourceHandle === undefined ? {} : { sourceHandle }),
      ...(targetHandle === undefined ? {} : { targetHandle }),
    });
    return id;
  }

  /** Adds a node fed by `from` through its single input, and returns the new node's id. */
  then(from: string, type: string, params: Record<string, unknown> = {}): string {
    const id = this.add(type, params);
    this.connect(from, id);
    return id;
  }

  build(): Graph {
    return { nodes: [...this.nodes], edges: [...this.edges] };
  }
}
