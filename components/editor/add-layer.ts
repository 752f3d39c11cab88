import { withSelection, type CanvasSession } from '@/collab/client';
import { addEdge, addNode, newId, type XY } from '@/collab/doc';
import { getLayer, parseLayerParams } from '@/compute/layers';
import { spotAfter, spotAt, type Footprint } from './placement';

/** The layer the new one follows: the only selected node, with its footprint and type. */
export interface PreviousLayer extends Footprint {
  readonly id: string;
  readonly type: string;
}

/** Where to put a new layer: at a point (a drop), or after a layer (wired to it). */
export type Placement = { readonly at: XY } | { readonly after: PreviousLayer };

/**
 * Adds a layer with its default params and selects it, so the properties panel shows what was just
 * added. Dropped at a point it is centred there; added after a layer it lands to that layer's
 * right and its first input is wired from that layer's first output (as one undo step). Either
 * way it is nudged to free space, so layers never cover each other. Returns the new id.
 */
export function addLayer(session: CanvasSession, type: string, placement: Placement, taken: readonly Footprint[]): string | null {
  const spec = getLayer(type);
  if (!spec) return null;
  const parsed = parseLayerParams(spec, {});
  const id = newId('n');
  const position = 'after' in placement ? spotAfter(placement.after, taken) : spotAt(placement.at, taken);
  session.undo.manager.stopCapturing();
  addNode(session.doc, { id, type, position, params: parsed.ok ? parsed.params : {} }, session.origin);
  if ('after' in placement) {
    const from = getLayer(placement.after.type)?.outputs[0];
    const to = spec.inputs[0];
    if (from && to) addEdge(session.doc, { id: newId('e'), source: placement.after.id, sourceHandle: from.name, target: id, targetHandle: to.name }, session.origin);
  }
  session.local.update((s) => withSelection(s, [id]));
  return id;
}
