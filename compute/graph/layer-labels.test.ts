import { describe, expect, it } from 'vitest';
import { layerLabels } from './layer-labels';

describe('layerLabels', () => {
  it('numbers each type in document order with the catalog label', () => {
    const labels = layerLabels([
      { id: 'n_a', type: 'Input' },
      { id: 'n_b', type: 'Dense' },
      { id: 'n_c', type: 'ReLU' },
      { id: 'n_d', type: 'Dense' },
      { id: 'n_e', type: 'Conv2D' },
    ]);
    expect([...labels]).toEqual([
      ['n_a', 'Input 1'],
      ['n_b', 'Dense 1'],
      ['n_c', 'ReLU 1'],
      ['n_d', 'Dense 2'],
      ['n_e', 'Conv 2D 1'],
    ]);
  });

  it("prefers the user's label, ignores blank ones, and keeps the others' numbers when one is renamed", () => {
    const labels = layerLabels([
      { id: 'a', type: 'Dense', label: 'Encoder' },
      { id: 'b', type: 'Dense', label: '   ' },
      { id: 'c', type: 'Dense', label: null },
    ]);
    expect(labels.get('a')).toBe('Encoder');
    expect(labels.get('b')).toBe('Dense 2');
    expect(labels.get('c')).toBe('Dense 3');
  });

  it('names unknown types by their raw type and keeps the first of duplicate ids', () => {
    const labels = layerLabels([
      { id: 'x', type: 'Transformer' },
      { id: 'x', type: 'Dense' },
    ]);
    expect([...labels]).toEqual([['x', 'Transformer 1']]);
  });
});
