import { GraphBuilder } from '../../../compute/graph/builder';
import type { Graph, Shape } from '../../../compute/graph/types';
import { LAYERS } from '../../../compute/layers/catalog';
import type { LayerSpec } from '../../../compute/layers/types';
import { validateGraph } from '../../../compute/validate/validate-graph';

/**
 * A tiny graph around every layer of the catalog, for the torch parity tests (the same roles as
 * compute/layers/completeness.test.ts): a layer sits in Input -> Dense (per tensor port) -> layer
 * -> Dense -> loss, on each input shape it accepts; a loss in Input -> Dense -> loss <- Labels;
 * Input and Labels feed all of them. A new layer gets a graph here without any edit, and a layer for
 * which no graph validates is reported, so the parity tests cannot silently skip it.
 */
export interface LayerGraph {
  readonly type: string;
  readonly label: string;
  readonly graph: Graph;
}

const INPUT_SHAPES: readonly Shape[] = [[5], [4, 4, 2]];
const TEST_PARAMS: Readonly<Record<string, Record<string, unknown>>> = {
  Dense: { units: 3 },
  Conv2D: { filters: 3, stride: 2, padding: 'same' },
  MaxPool2D: { poolSize: 3, stride: 2, padding: 'same' },
  AvgPool2D: { poolSize: 3, stride: 2, padding: 'same' },
  Dropout: { rate: 0.3 },
  LeakyReLU: { alpha: 0.1 },
  BatchNorm: { momentum: 0.8 },
};

export const LAYER_ID = 'layer';
export const INPUT_ID = 'features';

function layerGraph(spec: LayerSpec, shape: Shape): Graph | string {
  const g = new GraphBuilder();
  const input = g.add('Input', { shape: [...shape] }, INPUT_ID);
  const layer = g.add(spec.type, TEST_PARAMS[spec.type] ?? {}, LAYER_ID);
  const ports = spec.inputs.filter((p) => p.required || spec.inputs.length === 1);
  if (ports.some((p) => p.kind !== 'tensor')) return `${spec.type} takes labels but is not a loss`;
  for (const port of ports) {
    // No bias: a bias right before BatchNorm has an exactly-zero gradient, which is rounding noise on each side.
    const pre = g.add('Dense', { units: shape[shape.length - 1], useBias: false }, `pre_${port.name}`);
    g.connect(input, pre);
    g.connect(pre, layer, spec.inputs.length > 1 ? port.name : undefined);
  }
  const out = validateGraph(g.build()).nodeOutputShapes.get(LAYER_ID)?.['out'];
  if (!out) return validateGraph(g.build()).problems.map((p) => p.message).join('; ');
  // A Dense after the layer, so its output's gradient reaches weights and shows in the comparison.
  const head = g.then(out.length > 1 ? g.then(layer, 'Flatten') : layer, 'Dense', { units: 3 });
  const targets = g.add('Labels', { encoding: 'values', shape: [3] }, 'targets');
  const loss = g.add('MSE', {}, 'loss');
  g.connect(head, loss, 'predictions');
  g.connect(targets, loss, 'targets');
  return checked(g.build());
}

function lossGraph(spec: LayerSpec): Graph | string {
  const attempts: string[] = [];
  for (const encoding of [{ encoding: 'class-index' }, { encoding: 'values', shape: [3] }]) {
    const g = new GraphBuilder();
    const input = g.add('Input', { shape: [5] }, INPUT_ID);
    const loss = g.add(spec.type, TEST_PARAMS[spec.type] ?? {}, LAYER_ID);
    for (const port of spec.inputs.filter((p) => p.required)) {
      const source = port.kind === 'labels' ? g.add('Labels', encoding, 'targets') : g.then(g.then(input, 'Dense', { units: 4 }), 'Dense', { units: 3 });
      g.connect(source, loss, port.name);
    }
    const graph = checked(g.build());
    if (typeof graph !== 'string') return graph;
    attempts.push(`${encoding.encoding} labels: ${graph}`);
  }
  return attempts.join(' | ');
}

function checked(graph: Graph): Graph | string {
  const result = validateGraph(graph);
  return result.ok ? graph : result.problems.map((p) => `${p.code}: ${p.message}`).join('; ');
}

/** Every catalog layer's graphs, and per layer type the reasons none could be built (if so). */
export function layerGraphs(): { graphs: LayerGraph[]; unbuilt: Map<string, string> } {
  const graphs: LayerGraph[] = [];
  const unbuilt = new Map<string, string>();
  for (const spec of LAYERS.values()) {
    if (spec.category === 'io') continue;
    const problems: string[] = [];
    const candidates = spec.category === 'loss' ? [[5]] : INPUT_SHAPES;
    let built = 0;
    for (const shape of candidates) {
      const graph = spec.category === 'loss' ? lossGraph(spec) : layerGraph(spec, shape);
      if (typeof graph === 'string') problems.push(`on [${shape.join(', ')}]: ${graph}`);
      else {
        graphs.push({ type: spec.type, label: `on [${shape.join(', ')}]`, graph });
        built++;
      }
    }
    if (built === 0) unbuilt.set(spec.type, problems.join(' | '));
  }
  return { graphs, unbuilt };
}
