import ELK from 'elkjs/lib/elk.bundled.js';
import type { XY } from '@/collab/doc';

/** A node as the layout sees it: its id and the size it has on screen (or an estimate). */
export interface LayoutBox {
  readonly id: string;
  readonly width: number;
  readonly height: number;
}

export interface LayoutLink {
  readonly source: string;
  readonly target: string;
}

export interface LayoutOptions {
  /**
   * The area the result is shown in (the canvas on screen, in pixels). A chain too long to be read
   * there in one row (fitting it would zoom below READABLE_ZOOM) wraps into further rows, so a deep
   * model stays readable when fitted instead of becoming one thin line.
   */
  readonly viewport?: { readonly width: number; readonly height: number };
}

/** Below this zoom a layer's title is hard to read; a layout that would need it wraps instead. */
export const READABLE_ZOOM = 0.7;

/** Size assumed for a node React Flow has not measured yet. */
export const DEFAULT_NODE_SIZE = { width: 150, height: 60 } as const;
const NODE_GAP = 40;
const LAYER_GAP = 70;

// One engine for the page (the bundled build runs in the calling thread: no worker file to serve).
let engine: InstanceType<typeof ELK> | null = null;

/**
 * Layered (Sugiyama) layout with ELK, left to right as data flows through the layer ports (inputs
 * on the left, outputs on the right). Long chains wrap into rows to suit `aspectRatio`; nodes
 * never overlap. Edges whose ends are missing and self loops are ignored; cycles are tolerated
 * (ELK breaks them). Positions are top-left corners, rounded to whole pixels.
 */
export async function layeredLayout(nodes: readonly LayoutBox[], links: readonly LayoutLink[], options: LayoutOptions = {}): Promise<Map<string, XY>> {
  const out = new Map<string, XY>();
  if (nodes.length === 0) return out;
  const ids = new Set(nodes.map((n) => n.id));
  const edges = links
    .filter((l) => ids.has(l.source) && ids.has(l.target) && l.source !== l.target)
    .map((l, i) => ({ id: `e${i}`, sources: [l.source], targets: [l.target] }));
  const viewport = options.viewport && options.viewport.width > 0 && options.viewport.height > 0 ? options.viewport : { width: 1200, height: 700 };
  const children = nodes.map((n) => ({ id: n.id, width: Math.max(1, n.width), height: Math.max(1, n.height) }));
  const straight = await run(children, edges, null);
  const fitZoom = (g: ElkNode) => Math.min(viewport.width / Math.max(1, g.width ?? 1), viewport.height / Math.max(1, g.height ?? 1));
  let result = straight;
  if (fitZoom(straight) < READABLE_ZOOM) {
    const wrapped = await run(children, edges, viewport.width / viewport.height);
    if (fitZoom(wrapped) > fitZoom(straight)) result = wrapped;
  }
  for (const child of result.children ?? []) out.set(child.id, { x: Math.round(child.x ?? 0), y: Math.round(child.y ?? 0) });
  return out;
}

type ElkNode = Awaited<ReturnType<InstanceType<typeof ELK>['layout']>>;
type ElkEdge = { id: string; sources: string[]; targets: string[] };

/** One ELK pass; `wrapTo` (a width / height ratio) turns chain wrapping on. */
async function run(children: ElkNode['children'], edges: ElkEdge[], wrapTo: number | null): Promise<ElkNode> {
  engine ??= new ELK();
  return engine.layout({
    id: 'root',
    layoutOptions: {
      'elk.algorithm': 'layered',
      'elk.direction': 'RIGHT',
      ...(wrapTo === null
        ? {}
        : { 'elk.aspectRatio': wrapTo.toFixed(3), 'elk.layered.wrapping.strategy': 'MULTI_EDGE', 'elk.layered.wrapping.additionalEdgeSpacing': '20' }),
      'elk.spacing.nodeNode': String(NODE_GAP),
      'elk.layered.spacing.nodeNodeBetweenLayers': String(LAYER_GAP),
      'elk.spacing.componentComponent': String(LAYER_GAP),
      'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
      'elk.separateConnectedComponents': 'true',
    },
    children,
    edges,
  });
}
