import { describe, expect, it } from 'vitest';
import { keyboardConnection, wiringTargets } from './keyboard-connect';

const input = { id: 'n1', type: 'Input', name: 'Input 1' };
const dense = { id: 'n2', type: 'Dense', name: 'Dense 1' };
const add = { id: 'n3', type: 'Add', name: 'Add 1' };

describe('keyboard wiring', () => {
  it('offers every other layer that takes an input, filtered by the search', () => {
    expect(wiringTargets('n2', [input, dense, add]).map((l) => l.id)).toEqual(['n3']);
    expect(wiringTargets('n1', [input, dense, add]).map((l) => l.id)).toEqual(['n2', 'n3']);
    expect(wiringTargets('n1', [input, dense, add], 'den').map((l) => l.id)).toEqual(['n2']);
  });

  it("wires the source's first output into the target's first free input", () => {
    const first = keyboardConnection(input, add, []);
    expect(first).toMatchObject({ source: 'n1', target: 'n3' });
    const second = keyboardConnection(dense, add, [{ target: 'n3', targetHandle: first!.targetHandle }]);
    expect(second!.targetHandle).not.toBe(first!.targetHandle);
    expect(keyboardConnection(dense, input, [])).toBeNull();
  });

  it('wires labels into the loss’s labels input and a tensor into its logits, in either order', () => {
    const labels = { id: 'n4', type: 'Labels', name: 'Labels 1' };
    const loss = { id: 'n5', type: 'SoftmaxCrossEntropy', name: 'Softmax cross-entropy 1' };
    expect(keyboardConnection(labels, loss, [])!.targetHandle).toBe('labels');
    expect(keyboardConnection(dense, loss, [])!.targetHandle).toBe('logits');
    expect(keyboardConnection(dense, loss, [{ target: 'n5', targetHandle: 'labels' }])!.targetHandle).toBe('logits');
    // Its own kind taken, the next free input still gets the connection (the validator then explains it).
    expect(keyboardConnection(labels, loss, [{ target: 'n5', targetHandle: 'labels' }])!.targetHandle).toBe('logits');
  });
});
