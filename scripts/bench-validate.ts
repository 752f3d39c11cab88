/**
 * Graph validation + shape inference throughput on realistic 50-node graphs (target: at least
 * 5,000 graphs/s). Run: node --import tsx scripts/bench-validate.ts. Prints one JSON line per family.
 */
import { VALIDATION_TARGET_GRAPHS_PER_SECOND, validationThroughput } from './lib/validate-throughput';

const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 1_000);

for (const result of validationThroughput(DURATION_MS)) {
  console.log(JSON.stringify({ benchmark: 'validate-graph', ...result, target: VALIDATION_TARGET_GRAPHS_PER_SECOND }));
}
