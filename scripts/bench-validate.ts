/**
 * Graph validation + shape inference throughput on realistic 50-node graphs.
 * Target (docs/DESIGN): at least 5,000 graphs/s. Run: node --import tsx scripts/bench-validate.ts
 * Prints one JSON line per graph family.
 */
import { residualCnn, residualMlp } from '../compute/graph/examples';
import type { Graph } from '../compute/graph/types';
import { validateGraph } from '../compute/validate/validate-graph';

const TARGET_GRAPHS_PER_SECOND = 5_000;
const VARIANTS = 256;
const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 1_000);

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

function measure(name: string, graphs: Graph[]): void {
  const first = validateGraph(graphs[0]!);
  if (!first.ok) throw new Error(`${name} fixture is invalid: ${first.problems.map((p) => p.message).join('; ')}`);
  for (let i = 0; i < 2_000; i++) validateGraph(graphs[i % graphs.length]!); // warm up the JIT

  let count = 0;
  let problems = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < DURATION_MS) {
    for (let i = 0; i < 100; i++) problems += validateGraph(graphs[count++ % graphs.length]!).problems.length;
    elapsed = performance.now() - start;
  }
  const graphsPerSecond = Math.round((count / elapsed) * 1000);
  console.log(
    JSON.stringify({
      benchmark: 'validate-graph',
      graph: name,
      nodes: graphs[0]!.nodes.length,
      edges: graphs[0]!.edges.length,
      graphsPerSecond,
      microsecondsPerGraph: Number(((elapsed * 1000) / count).toFixed(1)),
      target: TARGET_GRAPHS_PER_SECOND,
      meetsTarget: graphsPerSecond >= TARGET_GRAPHS_PER_SECOND && problems === 0,
    }),
  );
}

measure('residual-mlp', variants(() => residualMlp(9), VARIANTS));
measure('residual-cnn', variants(() => residualCnn(8), VARIANTS));
