import { describe, expect, it } from 'vitest';
import { formatShape, shapeSize, shapesEqual } from './shape';

describe('shape helpers', () => {
  it('counts elements, with 1 for a scalar', () => {
    expect(shapeSize([28, 28, 1])).toBe(784);
    expect(shapeSize([])).toBe(1);
  });

  it('compares shapes by rank and dimensions', () => {
    expect(shapesEqual([2, 3], [2, 3])).toBe(true);
    expect(shapesEqual([2, 3], [3, 2])).toBe(false);
    expect(shapesEqual([6], [6, 1])).toBe(false);
  });

  it('formats shapes for messages', () => {
    expect(formatShape([7, 7, 32])).toBe('[7, 7, 32]');
    expect(formatShape([])).toBe('[]');
  });
});
