import { residualCnn, residualMlp } from '../../compute/graph/examples';
import type { Graph } from '../../compute/graph/types';
import { validateGraph } from '../../compute/validate/validate-graph';

export const VALIDATION_TARGET_GRAPHS_PER_SECOND = 5_000;

/**
 * Every keystroke in the editor yields a fresh graph snapshot, so each iteration validates a
 * different object with new params rather than re-validating one that might be cached somewhere.
 */
function variants(make: () => Graph, count: number): Graph[] {
  return Array.from({ length: count }, (_, i) => {
    const graph = make();
    return {
      nodes: graph.nodes.map((node) =>
        node.type === 'Dense' && node.params?.units !== 10 ? { ...node, params: { ...node.params, units: 64 + (i % 64) } } : { ...node, params: { ...node.params } },
      ),
      edges: graph.edges.map((edge) => ({ ...edge })),
    };
  });
}

export interface ValidationThroughput {
  graph: string;
  nodes: number;
  edges: number;
  graphsPerSecond: number;
  microsecondsPerGraph: number;
  meetsTarget: boolean;
}

function measure(name: string, graphs: Graph[], durationMs: number): ValidationThroughput {
  const first = validateGraph(graphs[0]!);
  if (!first.ok) throw new Error(`${name} fixture is invalid: ${first.problems.map((p) => p.message).join('; ')}`);
  for (let i = 0; i < 2_000; i++) validateGraph(graphs[i % graphs.length]!); // warm up the JIT

  let count = 0;
  let problems = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < durationMs) {
    for (let i = 0; i < 100; i++) problems += validateGraph(graphs[count++ % graphs.length]!).problems.length;
    elapsed = performance.now() - start;
  }
  const graphsPerSecond = Math.round((count / elapsed) * 1000);
  return {
    graph: name,
    nodes: graphs[0]!.nodes.length,
    edges: graphs[0]!.edges.length,
    graphsPerSecond,
    microsecondsPerGraph: Number(((elapsed * 1000) / count).toFixed(1)),
    meetsTarget: graphsPerSecond >= VALIDATION_TARGET_GRAPHS_PER_SECOND && problems === 0,
  };
}

/** Validation + shape inference throughput on two realistic 50-node graph families. */
export function validationThroughput(durationMs: number): ValidationThroughput[] {
  return [measure('residual-mlp', variants(() => residualMlp(9), 256), durationMs), measure('residual-cnn', variants(() => residualCnn(8), 256), durationMs)];
}
