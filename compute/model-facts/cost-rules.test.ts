import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../graph/builder';
import { shapeSize } from '../graph/shape';
import type { Graph, Shape } from '../graph/types';
import { LAYERS } from '../layers/catalog';
import type { LayerSpec } from '../layers/types';
import { validateGraph } from '../validate/validate-graph';
import { COST_RULES } from './cost-rules';
import { modelFacts } from './model-facts';

/**
 * Every layer of the catalog has a cost rule, or this fails naming it. Like
 * layers/completeness.test.ts, each layer is also run: wrapped as Input -> layer -> MSE <- Labels
 * (a loss as Input -> loss <- Labels), on the first input shape it accepts, so a rule that throws or
 * returns nonsense for its own layer fails here too.
 */
const INPUT_SHAPES: readonly Shape[] = [[5], [4, 4, 2]];
const LAYER_ID = 'layer';

function layerGraph(spec: LayerSpec, shape: Shape): Graph | undefined {
  const g = new GraphBuilder();
  const input = g.add('Input', { shape: [...shape] });
  const layer = g.add(spec.type, {}, LAYER_ID);
  for (const port of spec.inputs) g.connect(input, layer, spec.inputs.length > 1 ? port.name : undefined);
  const out = validateGraph(g.build()).nodeOutputShapes.get(LAYER_ID)?.['out'];
  if (!out) return undefined;
  const targets = g.add('Labels', { encoding: 'values', shape: [...out] });
  const loss = g.add('MSE');
  g.connect(layer, loss, 'predictions');
  g.connect(targets, loss, 'targets');
  return g.build();
}

function lossGraph(spec: LayerSpec, labels: Record<string, unknown>): Graph {
  const g = new GraphBuilder();
  const input = g.add('Input', { shape: [5] });
  const loss = g.add(spec.type, {}, LAYER_ID);
  for (const port of spec.inputs) g.connect(port.kind === 'labels' ? g.add('Labels', labels) : input, loss, port.name);
  return g.build();
}

function fixtureFor(spec: LayerSpec): Graph | undefined {
  const candidates =
    spec.category === 'loss'
      ? [lossGraph(spec, { encoding: 'class-index' }), lossGraph(spec, { encoding: 'values', shape: [5] })]
      : INPUT_SHAPES.map((shape) => layerGraph(spec, shape));
  return candidates.find((graph) => graph !== undefined && validateGraph(graph).ok);
}

describe('model-facts cost rules', () => {
  const layers = [...LAYERS.values()];

  it.each(layers.map((spec) => [spec.type, spec] as const))('%s has a cost rule', (type) => {
    expect(COST_RULES[type], `${type} has no cost rule in compute/model-facts/cost-rules.ts`).toBeDefined();
  });

  it.each(layers.filter((spec) => spec.category !== 'io').map((spec) => [spec.type, spec] as const))(
    '%s gets finite, consistent facts in a graph',
    (type, spec) => {
      const graph = fixtureFor(spec);
      expect(graph, `no small graph around ${type} validates`).toBeDefined();
      const result = modelFacts(graph!);
      if (!result.ok) throw new Error(result.problems.map((p) => p.message).join('; '));
      const facts = result.layers.find((l) => l.nodeId === LAYER_ID)!;
      for (const value of [facts.forwardFlops, facts.trainingFlops, facts.params, facts.activationBytes]) {
        expect(Number.isSafeInteger(value) && value >= 0, `${type}: ${value}`).toBe(true);
      }
      expect(facts.trainingFlops).toBe((facts.trainableParams > 0 ? 3 : 2) * facts.forwardFlops);
      const elements = facts.outputShape ? shapeSize(facts.outputShape) : 0;
      expect([0, elements * 4]).toContain(facts.activationBytes);
      // Everything but a relabelled view or a copy does arithmetic.
      if (!['Flatten', 'Reshape', 'Concat'].includes(type)) expect(facts.forwardFlops).toBeGreaterThan(0);
      // Input and Labels are in every fixture, so the feeds' rules run too.
      expect(result.layers.map((l) => l.type)).toEqual(expect.arrayContaining(['Input', 'Labels']));
    },
  );
});
