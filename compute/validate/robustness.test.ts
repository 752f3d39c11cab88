import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../data/random';
import { cnnClassifier, residualMlp } from '../graph/examples';
import type { Graph, GraphEdge, GraphNode } from '../graph/types';
import { LAYERS } from '../layers/catalog';
import type { ProblemCode } from './problem';
import { validateGraph } from './validate-graph';

const CODES: readonly ProblemCode[] = [
  'UNKNOWN_LAYER', 'DUPLICATE_ID', 'DANGLING_EDGE', 'CYCLE', 'UNCONNECTED_INPUT', 'MULTIPLE_EDGES_TO_INPUT',
  'NO_INPUT', 'NO_LOSS', 'PORT_TYPE_MISMATCH', 'SHAPE_MISMATCH', 'INVALID_PARAM',
];

const ODD_VALUES: unknown[] = [0, -1, 1.5, 1e12, NaN, 'x', null, true, [], [0], [3, -1], { a: 1 }];
const TYPES = [...LAYERS.keys(), 'Nope'];
const PORTS = [null, undefined, 'in', 'out', 'a', 'b', 'logits', 'labels', 'predictions', 'targets', 'bogus'];

/** Applies one random edit of the kind a person (or a half-synced collaborator) makes mid-keystroke. */
function mutate(graph: Graph, random: () => number): Graph {
  const pick = <T,>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const nodes: GraphNode[] = [...graph.nodes];
  const edges: GraphEdge[] = [...graph.edges];
  const node = pick(nodes);
  const edge = pick(edges);
  switch (Math.floor(random() * 6)) {
    case 0:
      nodes[nodes.indexOf(node)] = { ...node, params: { ...node.params, [pick(['units', 'shape', 'rate', 'axis', 'kernelSize', 'targetShape', 'encoding'])]: pick(ODD_VALUES) } };
      break;
    case 1:
      nodes[nodes.indexOf(node)] = { ...node, type: pick(TYPES) };
      break;
    case 2:
      edges.splice(edges.indexOf(edge), 1);
      break;
    case 3:
      edges.push({ id: `x${edges.length}`, source: pick(nodes).id, target: pick(nodes).id, sourceHandle: pick(PORTS), targetHandle: pick(PORTS) });
      break;
    case 4:
      edges[edges.indexOf(edge)] = { ...edge, target: pick([...nodes.map((n) => n.id), 'ghost']), targetHandle: pick(PORTS) };
      break;
    default:
      nodes.push({ ...node });
  }
  return { nodes, edges };
}

describe('validateGraph robustness', () => {
  it('never throws on randomly broken graphs and always explains with known codes', () => {
    const random = mulberry32(2024);
    const seen = new Set<string>();
    for (const start of [residualMlp(4), cnnClassifier()]) {
      for (let trial = 0; trial < 300; trial++) {
        let graph = start;
        const edits = 1 + Math.floor(random() * 6);
        for (let i = 0; i < edits; i++) graph = mutate(graph, random);
        const result = validateGraph(graph);
        for (const problem of result.problems) seen.add(problem.code);
        expect(result.ok).toBe(result.problems.length === 0);
        for (const problem of result.problems) {
          expect(CODES).toContain(problem.code);
          expect(problem.message.length).toBeGreaterThan(10);
          if (problem.nodeId !== undefined) expect(graph.nodes.some((n) => n.id === problem.nodeId)).toBe(true);
          if (problem.edgeId !== undefined) expect(graph.edges.some((e) => e.id === problem.edgeId)).toBe(true);
        }
      }
    }
    // The edits must actually reach the interesting checks, or this test proves nothing.
    for (const code of ['INVALID_PARAM', 'UNKNOWN_LAYER', 'DANGLING_EDGE', 'SHAPE_MISMATCH', 'PORT_TYPE_MISMATCH', 'DUPLICATE_ID', 'CYCLE']) {
      expect(seen).toContain(code);
    }
  });
});
