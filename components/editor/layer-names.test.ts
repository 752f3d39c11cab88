import { describe, expect, it } from 'vitest';
import { layerLabels } from '@/compute/graph';
import { validateGraph } from '@/compute/validate';
import { connectionName, nameLayersIn, readableProblem } from './layer-names';

const names = new Map([
  ['n_cdvxgffp364d', 'Dense 2'],
  ['n_a', 'Input 1'],
]);

describe('layer names in messages', () => {
  it('replaces quoted and bare ids with layer names, whole ids only', () => {
    expect(nameLayersIn("Input 'n_a' takes [4]", names)).toBe('Input Input 1 takes [4]');
    expect(nameLayersIn('loop: n_a → n_cdvxgffp364d → n_a', names)).toBe('loop: Input 1 → Dense 2 → Input 1');
    expect(nameLayersIn('n_ab and xn_a stay', names)).toBe('n_ab and xn_a stay');
  });

  it("a cycle's message from the validator names no id once made readable", () => {
    const graph = {
      nodes: [
        { id: 'n_x1', type: 'Dense', params: { units: 4 } },
        { id: 'n_x2', type: 'ReLU', params: {} },
      ],
      edges: [
        { id: 'e1', source: 'n_x1', sourceHandle: 'out', target: 'n_x2', targetHandle: 'in' },
        { id: 'e2', source: 'n_x2', sourceHandle: 'out', target: 'n_x1', targetHandle: 'in' },
      ],
    };
    const labels = layerLabels(graph.nodes);
    const cycle = validateGraph(graph).problems.find((p) => p.code === 'CYCLE')!;
    const readable = readableProblem(cycle, labels);
    expect(readable.message).not.toMatch(/n_x/);
    expect(readable.message).toContain('Dense 1');
    expect(readable.nodeIds).toEqual(cycle.nodeIds);
  });

  it('names both ends of a connection', () => {
    expect(connectionName('n_a', 'n_cdvxgffp364d', names)).toBe('Connection from Input 1 to Dense 2');
  });
});
