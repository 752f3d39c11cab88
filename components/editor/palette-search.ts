import { LAYER_CATEGORIES, layersInCategory, type LayerCategory, type LayerSpec } from '@/compute/layers';

export const CATEGORY_NAMES: Record<LayerCategory, string> = {
  io: 'Inputs',
  core: 'Core',
  conv: 'Convolution',
  activation: 'Activations',
  normalization: 'Normalization',
  merge: 'Merge',
  loss: 'Losses',
};

export interface PaletteGroup {
  readonly category: LayerCategory;
  readonly layers: readonly LayerSpec[];
}

function score(spec: LayerSpec, words: readonly string[]): number {
  const label = spec.label.toLowerCase();
  const type = spec.type.toLowerCase();
  const description = spec.description.toLowerCase();
  // The whole query starting the name ("softmax cross" for "Softmax cross-entropy") beats words found anywhere.
  const phrase = words.join(' ');
  let total = label.startsWith(phrase) || type.startsWith(phrase.replace(/ /g, '')) ? 200 : 0;
  for (const word of words) {
    if (label === word || type === word) total += 100;
    else if (label.startsWith(word) || type.startsWith(word)) total += 50;
    else if (label.includes(word) || type.includes(word)) total += 20;
    else if (description.includes(word) || CATEGORY_NAMES[spec.category].toLowerCase().includes(word)) total += 1;
    else return 0; // every word must match somewhere
  }
  return total;
}

/** The palette's categories, keeping only layers whose name or description matches every word of the query. */
export function filterPalette(query: string): PaletteGroup[] {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  return LAYER_CATEGORIES.map((category) => ({
    category,
    layers: words.length === 0 ? layersInCategory(category) : layersInCategory(category).filter((spec) => score(spec, words) > 0),
  })).filter((group) => group.layers.length > 0);
}

/** The layer Enter in the search box adds: the best match by name, then palette order. */
export function bestMatch(query: string): LayerSpec | undefined {
  const words = query.toLowerCase().split(/\s+/).filter(Boolean);
  if (words.length === 0) return undefined;
  let best: LayerSpec | undefined;
  let bestScore = 0;
  for (const category of LAYER_CATEGORIES) {
    for (const spec of layersInCategory(category)) {
      const s = score(spec, words);
      if (s > bestScore) {
        best = spec;
        bestScore = s;
      }
    }
  }
  return best;
}
