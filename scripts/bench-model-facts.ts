/**
 * Model facts on realistic 50-node graphs: the editor recomputes them on every change, so one call
 * should take well under a millisecond. Run: node --import tsx scripts/bench-model-facts.ts.
 * Prints one JSON line per graph family (mean microseconds per call).
 */
import { residualCnn, residualMlp } from '../compute/graph/examples';
import { modelFacts } from '../compute/model-facts';

const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 1_000);

for (const [graph, build] of [
  ['residual-mlp', () => residualMlp(9)],
  ['residual-cnn', () => residualCnn(8)],
] as const) {
  const g = build();
  for (let i = 0; i < 200; i++) modelFacts(g); // warm up the JIT
  let calls = 0;
  const start = performance.now();
  let elapsed = 0;
  while (elapsed < DURATION_MS) {
    for (let i = 0; i < 50; i++) modelFacts(g);
    calls += 50;
    elapsed = performance.now() - start;
  }
  const microsPerCall = (elapsed * 1000) / calls;
  console.log(JSON.stringify({ benchmark: 'model-facts', graph, nodes: g.nodes.length, microsPerCall: Number(microsPerCall.toFixed(1)) }));
}
