import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { graphHash } from './graph-hash';
import { sha256Hex } from './sha256';
import { mlpClassifier } from './examples';
import type { Graph } from './types';

describe('sha256Hex', () => {
  it('equals node:crypto on empty, short and multi-block inputs', () => {
    for (const length of [0, 1, 55, 56, 63, 64, 65, 1000]) {
      const bytes = Uint8Array.from({ length }, (_, i) => (i * 31 + 7) & 0xff);
      expect(sha256Hex(bytes)).toBe(createHash('sha256').update(bytes).digest('hex'));
    }
  });
});

describe('graphHash', () => {
  const graph = mlpClassifier(4, [8], 3);

  it('is stable across node/edge order, param key order, edge ids and layout fields', () => {
    const shuffled: Graph = {
      nodes: [...graph.nodes].reverse().map((n) => ({
        ...n,
        ...(n.params ? { params: Object.fromEntries(Object.entries(n.params).reverse()) } : {}),
        position: { x: 10, y: 20 },
      })),
      edges: [...graph.edges].reverse().map((e, i) => ({ ...e, id: `other-${i}` })),
    };
    expect(graphHash(shuffled)).toBe(graphHash(graph));
    expect(graphHash(JSON.parse(JSON.stringify(graph)) as Graph)).toBe(graphHash(graph));
    expect(graphHash(graph)).toMatch(/^[0-9a-f]{64}$/);
  });

  it('changes with a param, a node type, a node id or an edge', () => {
    const base = graphHash(graph);
    const dense = graph.nodes.find((n) => n.type === 'Dense')!;
    const withParam = (params: Record<string, unknown>): Graph => ({ ...graph, nodes: graph.nodes.map((n) => (n === dense ? { ...n, params: { ...n.params, ...params } } : n)) });
    expect(graphHash(withParam({ units: 9 }))).not.toBe(base);
    expect(graphHash(withParam({ extra: true }))).not.toBe(base);
    expect(graphHash({ ...graph, nodes: graph.nodes.map((n) => (n === dense ? { ...n, type: 'Other' } : n)) })).not.toBe(base);
    expect(graphHash({ ...graph, nodes: graph.nodes.map((n) => (n === dense ? { ...n, id: `${n.id}x` } : n)) })).not.toBe(base);
    expect(graphHash({ ...graph, edges: graph.edges.slice(1) })).not.toBe(base);
    const e = graph.edges[0]!;
    expect(graphHash({ ...graph, edges: [{ ...e, targetHandle: 'other' }, ...graph.edges.slice(1)] })).not.toBe(base);
  });
});
