import { describe, expect, it } from 'vitest';
import { orderNodes } from './order';
import { GraphCycleError, topoSort } from './topo-sort';
import type { Graph } from './types';

function graph(nodeIds: string[], links: Array<[string, string]>): Graph {
  return {
    nodes: nodeIds.map((id) => ({ id, type: 'ReLU' })),
    edges: links.map(([source, target], i) => ({ id: `e${i}`, source, target })),
  };
}

describe('topoSort', () => {
  it('puts every source before its targets', () => {
    const links: Array<[string, string]> = [
      ['d', 'e'],
      ['a', 'b'],
      ['b', 'd'],
      ['a', 'c'],
      ['c', 'd'],
    ];
    const order = topoSort(graph(['e', 'd', 'c', 'b', 'a'], links));
    expect(order).toHaveLength(5);
    for (const [source, target] of links) expect(order.indexOf(source)).toBeLessThan(order.indexOf(target));
  });

  it('keeps node order among independent nodes, so the result is stable', () => {
    expect(topoSort(graph(['z', 'y', 'x'], []))).toEqual(['z', 'y', 'x']);
  });

  it('ignores edges to missing nodes and repeated node ids', () => {
    const g = graph(['a', 'b', 'a'], [
      ['a', 'b'],
      ['b', 'ghost'],
    ]);
    expect(topoSort(g)).toEqual(['a', 'b']);
  });

  it('throws GraphCycleError naming the loop', () => {
    const g = graph(['a', 'b', 'c', 'd'], [
      ['a', 'b'],
      ['b', 'c'],
      ['c', 'b'],
      ['c', 'd'],
    ]);
    expect(() => topoSort(g)).toThrow(GraphCycleError);
    expect(() => topoSort(g)).toThrow('The graph contains a cycle: b -> c -> b');
  });
});

describe('orderNodes', () => {
  it('reports one concrete cycle per loop and leaves out everything downstream', () => {
    const g = graph(['in', 'a', 'b', 'c', 'after', 'x', 'y', 'free'], [
      ['in', 'a'],
      ['a', 'b'],
      ['b', 'c'],
      ['c', 'a'],
      ['c', 'after'],
      ['x', 'y'],
      ['y', 'x'],
    ]);
    const { order, cycles } = orderNodes(g);
    expect(order).toEqual(['in', 'free']);
    expect(cycles).toEqual([
      ['a', 'b', 'c'],
      ['x', 'y'],
    ]);
  });

  it('finds the shortest loop through the first node of a tangled component', () => {
    const g = graph(['a', 'b', 'c', 'd'], [
      ['a', 'b'],
      ['b', 'c'],
      ['c', 'd'],
      ['d', 'a'],
      ['b', 'a'],
    ]);
    expect(orderNodes(g).cycles).toEqual([['a', 'b']]);
  });

  it('detects self-loops', () => {
    expect(orderNodes(graph(['a'], [['a', 'a']])).cycles).toEqual([['a']]);
  });

  it('handles a long chain without recursion limits', () => {
    const ids = Array.from({ length: 20_000 }, (_, i) => `n${i}`);
    const links = ids.slice(1).map((id, i): [string, string] => [ids[i]!, id]);
    links.push([ids[ids.length - 1]!, ids[0]!]);
    const { order, cycles } = orderNodes(graph(ids, links));
    expect(order).toEqual([]);
    expect(cycles).toHaveLength(1);
    expect(cycles[0]).toHaveLength(20_000);
  });
});
