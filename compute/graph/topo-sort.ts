import { orderNodes } from './order';
import type { Graph } from './types';

export class GraphCycleError extends Error {
  readonly code = 'CYCLE';
  constructor(readonly cycle: readonly string[]) {
    super(`The graph contains a cycle: ${[...cycle, cycle[0]].join(' -> ')}`);
    this.name = 'GraphCycleError';
  }
}

/**
 * Node ids in an order where every edge points forward: the order the engine builds and runs layers.
 * Throws GraphCycleError for cyclic graphs; run validateGraph first to get every problem at once.
 */
export function topoSort(graph: Graph): string[] {
  const { order, cycles } = orderNodes(graph);
  const first = cycles[0];
  if (first) throw new GraphCycleError(first);
  return order;
}
