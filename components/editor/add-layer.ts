import { withSelection, type CanvasSession } from '@/collab/client';
import { addNode, newId, type XY } from '@/collab/doc';
import { getLayer, parseLayerParams } from '@/compute/layers';

/** Roughly a layer node's size on screen, to keep new nodes from covering each other. */
const NODE_WIDTH = 150;
const NODE_HEIGHT = 60;

/** The first spot near `wanted` that no other node occupies, so new layers never hide each other. */
export function freeSpot(wanted: XY, taken: readonly XY[]): XY {
  const spot = { x: Math.round(wanted.x), y: Math.round(wanted.y) };
  for (let i = 0; i < 50 && taken.some((p) => Math.abs(p.x - spot.x) < NODE_WIDTH && Math.abs(p.y - spot.y) < NODE_HEIGHT); i++) spot.y += NODE_HEIGHT + 10;
  return spot;
}

/**
 * Adds a layer with its default params at `center` (the node is centred there, nudged to a free
 * spot) and selects it, so the properties panel shows what was just added. Returns the new id.
 */
export function addLayer(session: CanvasSession, type: string, center: XY, taken: readonly XY[]): string | null {
  const spec = getLayer(type);
  if (!spec) return null;
  const parsed = parseLayerParams(spec, {});
  const id = newId('n');
  const position = freeSpot({ x: center.x - NODE_WIDTH / 2, y: center.y - NODE_HEIGHT / 2 }, taken);
  session.undo.manager.stopCapturing();
  addNode(session.doc, { id, type, position, params: parsed.ok ? parsed.params : {} }, session.origin);
  session.local.update((s) => withSelection(s, [id]));
  return id;
}
