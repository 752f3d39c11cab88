import type { XY } from '@/collab/doc';
import { DEFAULT_NODE_SIZE } from './auto-layout';

/** A node's footprint on the canvas, in flow coordinates (top-left corner and size). */
export interface Footprint {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** Space kept between a new layer and its neighbours. */
export const PLACEMENT_GAP = 40;
/** Horizontal distance from a layer to the one added after it (room for the edge and its shape label). */
const AFTER_GAP = 90;

function collides(a: Footprint, b: Footprint): boolean {
  return a.x < b.x + b.width + PLACEMENT_GAP && b.x < a.x + a.width + PLACEMENT_GAP && a.y < b.y + b.height + PLACEMENT_GAP && b.y < a.y + a.height + PLACEMENT_GAP;
}

/**
 * The first spot at or below `wanted` where a node of `size` covers no other node (with a gap),
 * so added layers never hide each other. Steps down a row at a time; gives up (returns the last
 * tried spot) only after 200 rows, which no real canvas reaches.
 */
export function freeSpot(wanted: XY, taken: readonly Footprint[], size: { width: number; height: number } = DEFAULT_NODE_SIZE): XY {
  const spot = { x: Math.round(wanted.x), y: Math.round(wanted.y) };
  for (let i = 0; i < 200; i++) {
    const blocker = taken.find((t) => collides({ ...spot, ...size }, t));
    if (!blocker) break;
    spot.y = Math.round(blocker.y + blocker.height + PLACEMENT_GAP);
  }
  return spot;
}

/** Where a layer added after `previous` goes: to its right (data flows left to right), level with it, in free space. */
export function spotAfter(previous: Footprint, taken: readonly Footprint[], size: { width: number; height: number } = DEFAULT_NODE_SIZE): XY {
  return freeSpot({ x: previous.x + previous.width + AFTER_GAP, y: previous.y + (previous.height - size.height) / 2 }, taken, size);
}

/** Where a layer added at a point goes: centred there, nudged down to free space. */
export function spotAt(center: XY, taken: readonly Footprint[], size: { width: number; height: number } = DEFAULT_NODE_SIZE): XY {
  return freeSpot({ x: center.x - size.width / 2, y: center.y - size.height / 2 }, taken, size);
}
