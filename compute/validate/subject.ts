import { layerLabels } from '../graph/layer-labels';
import type { Graph } from '../graph/types';

/**
 * Layer names by node id as people see them: the labels the caller gives (the editor passes the
 * names people gave their layers), and for every other node the catalog label numbered per type
 * in graph order ("Dense 2"), the same numbering the editor uses.
 */
export function layerNamesFor(graph: Graph, given?: ReadonlyMap<string, string>): ReadonlyMap<string, string> {
  const names = layerLabels(graph.nodes);
  if (given) for (const [id, label] of given) if (names.has(id) && label.trim()) names.set(id, label.trim());
  return names;
}

/**
 * Leads a sentence about one layer with that layer's name: "Dense 2: expects …". Producers in
 * compute/layers write their sentences about the layer type ("Dense expects …", "Dense: …"), which
 * is replaced; a sentence with another subject ("units must be …") is prefixed.
 */
export function aboutLayer(message: string, type: string, name: string): string {
  if (message.startsWith(`${name}: `)) return message;
  for (const lead of [`${type}: `, `${type} `]) {
    if (message.startsWith(lead)) return `${name}: ${message.slice(lead.length)}`;
  }
  return `${name}: ${message}`;
}
