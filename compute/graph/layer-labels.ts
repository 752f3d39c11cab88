import { getLayer } from '../layers/catalog';

/** A node as far as naming goes: the editor passes its own custom label, the IR has none. */
export interface LabelledNode {
  readonly id: string;
  readonly type: string;
  /** A name the user gave the layer; null, undefined or blank means "use the default". */
  readonly label?: string | null;
}

/**
 * How people see layers, by node id: the user's own label if they gave one, otherwise the catalog's
 * label numbered per type in document order ("Dense 1", "Dense 2", "Conv 2D 1"). Numbering counts
 * every node of the type, renamed or not, and ignores wiring, so a layer keeps its name while the
 * graph around it is rewired or another layer is renamed. Unknown types are named by their raw type.
 */
export function layerLabels(nodes: readonly LabelledNode[]): Map<string, string> {
  const counts = new Map<string, number>();
  const labels = new Map<string, string>();
  for (const node of nodes) {
    const n = (counts.get(node.type) ?? 0) + 1;
    counts.set(node.type, n);
    if (labels.has(node.id)) continue; // a duplicate id keeps the first node's name, as validation does
    const custom = node.label?.trim();
    labels.set(node.id, custom ? custom : `${getLayer(node.type)?.label ?? node.type} ${n}`);
  }
  return labels;
}
