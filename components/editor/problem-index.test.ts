import { describe, expect, it } from 'vitest';
import { validateGraph } from '@/compute/validate';
import { decorateEdges } from './decorate-edges';
import { edgeShapeText, indexProblems, nodeOutputText, nodeProblems } from './problem-index';

const graph = {
  nodes: [
    { id: 'in', type: 'Input', params: { shape: [8, 8, 16] } },
    { id: 'flat', type: 'Flatten', params: {} },
    { id: 'd', type: 'Dense', params: { units: 10 } },
    { id: 'stray', type: 'Dense', params: {} },
    { id: 'sm', type: 'SoftmaxCrossEntropy', params: {} },
    { id: 'lab', type: 'Labels', params: {} },
  ],
  edges: [
    { id: 'e1', source: 'in', sourceHandle: 'out', target: 'flat', targetHandle: 'in' },
    { id: 'e2', source: 'flat', sourceHandle: 'out', target: 'd', targetHandle: 'in' },
    { id: 'e3', source: 'd', sourceHandle: 'out', target: 'sm', targetHandle: 'logits' },
    { id: 'e4', source: 'lab', sourceHandle: 'out', target: 'sm', targetHandle: 'labels' },
    { id: 'e5', source: 'in', sourceHandle: 'out', target: 'd', targetHandle: 'in' },
  ],
};

describe('indexProblems', () => {
  const index = indexProblems(validateGraph(graph));

  it('puts node problems on the node and edge problems on the edge', () => {
    expect(nodeProblems(index, 'stray').map((p) => p.code)).toEqual(['UNCONNECTED_INPUT']);
    expect(index.byEdge.get('e5')?.map((p) => p.code)).toEqual(['MULTIPLE_EDGES_TO_INPUT']);
    expect(nodeProblems(index, 'd')).toEqual([]);
  });

  it('formats shapes for edge labels and node footers', () => {
    expect(edgeShapeText(index, 'e1')).toBe('[8, 8, 16]');
    expect(nodeOutputText(index, 'flat')).toBe('[1024]');
    expect(nodeOutputText(index, 'sm')).toBeUndefined();
  });

  it('decorates edges with shapes and problems, keeping unchanged edges', () => {
    const edges = graph.edges.map((e) => ({ ...e }));
    const decorated = decorateEdges(edges, index);
    expect(decorated[0]).toMatchObject({ id: 'e1', type: 'shaped', data: { shape: '[8, 8, 16]' } });
    expect(decorated[4]).toMatchObject({ id: 'e5', className: 'edge-problem', data: { problemCode: 'MULTIPLE_EDGES_TO_INPUT' } });
    const again = decorateEdges(edges, index, new Map(decorated.map((e) => [e.id, e])));
    expect(again.every((e, i) => e === decorated[i])).toBe(true);
  });

  it('marks every node of a cycle', () => {
    const cyclic = indexProblems(
      validateGraph({
        nodes: [
          { id: 'a', type: 'ReLU', params: {} },
          { id: 'b', type: 'Tanh', params: {} },
        ],
        edges: [
          { id: 'x', source: 'a', sourceHandle: 'out', target: 'b', targetHandle: 'in' },
          { id: 'y', source: 'b', sourceHandle: 'out', target: 'a', targetHandle: 'in' },
        ],
      }),
    );
    expect(nodeProblems(cyclic, 'a').map((p) => p.code)).toContain('CYCLE');
    expect(nodeProblems(cyclic, 'b').map((p) => p.code)).toContain('CYCLE');
  });
});
