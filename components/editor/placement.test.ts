import { describe, expect, it } from 'vitest';
import { DEFAULT_NODE_SIZE } from './auto-layout';
import { freeSpot, PLACEMENT_GAP, spotAfter, spotAt, type Footprint } from './placement';

const node = (x: number, y: number, width = 150, height = 60): Footprint => ({ x, y, width, height });
const overlaps = (a: Footprint, b: Footprint) => a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

describe('placement', () => {
  it('keeps the wanted spot when it is free', () => {
    expect(freeSpot({ x: 10.4, y: 20.6 }, [node(400, 400)])).toEqual({ x: 10, y: 21 });
  });

  it('never overlaps: adding the same layer ten times at one point stacks them apart', () => {
    const taken: Footprint[] = [];
    for (let i = 0; i < 10; i++) taken.push({ ...spotAt({ x: 0, y: 0 }, taken), ...DEFAULT_NODE_SIZE });
    for (let i = 0; i < taken.length; i++) for (let j = i + 1; j < taken.length; j++) expect(overlaps(taken[i]!, taken[j]!)).toBe(false);
  });

  it('steps past tall nodes by their real height, not a fixed row', () => {
    const tall = node(0, 0, 150, 300);
    const spot = freeSpot({ x: 0, y: 0 }, [tall]);
    expect(spot.y).toBe(300 + PLACEMENT_GAP);
  });

  it('puts a layer after another to its right, level with it, and below what is already there', () => {
    const previous = node(100, 100, 150, 60);
    const first = spotAfter(previous, [previous]);
    expect(first.x).toBeGreaterThan(previous.x + previous.width);
    expect(first.y).toBe(previous.y);
    const second = spotAfter(previous, [previous, { ...first, ...DEFAULT_NODE_SIZE }]);
    expect(second.x).toBe(first.x);
    expect(second.y).toBeGreaterThanOrEqual(first.y + DEFAULT_NODE_SIZE.height + PLACEMENT_GAP);
  });
});
