import { describe, expect, it } from 'vitest';
import { GraphBuilder } from '../graph/builder';
import { cnnClassifier, mlpClassifier, residualCnn, residualMlp } from '../graph/examples';
import type { Graph } from '../graph/types';
import type { ProblemCode } from './problem';
import { validateGraph } from './validate-graph';

function codes(graph: Graph): ProblemCode[] {
  return validateGraph(graph).problems.map((problem) => problem.code);
}

/** Input -> Dense(units) -> loss, the smallest trainable graph; returns ids for further wiring. */
function minimal(units = 3) {
  const g = new GraphBuilder();
  const input = g.add('Input', { shape: [4] });
  const dense = g.then(input, 'Dense', { units });
  const labels = g.add('Labels');
  const loss = g.add('SoftmaxCrossEntropy');
  g.connect(dense, loss, 'logits');
  g.connect(labels, loss, 'labels');
  return { g, input, dense, labels, loss };
}

describe('validateGraph on well-formed graphs', () => {
  it('infers MLP shapes on every node and edge', () => {
    const graph = mlpClassifier(784, [256, 128], 10);
    const result = validateGraph(graph);
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.nodeOutputShapes.get('input1')).toEqual({ out: [784] });
    expect(result.nodeOutputShapes.get('dense1')).toEqual({ out: [256] });
    expect(result.nodeOutputShapes.get('relu2')).toEqual({ out: [128] });
    expect(result.nodeOutputShapes.get('dense3')).toEqual({ out: [10] });
    expect(result.nodeOutputShapes.get('labels1')).toEqual({ out: [] });
    expect(result.edgeShapes.size).toBe(graph.edges.length);
    const intoLoss = graph.edges.find((edge) => edge.target === 'softmaxcrossentropy1' && edge.targetHandle === 'logits')!;
    expect(result.edgeShapes.get(intoLoss.id)).toEqual([10]);
  });

  it('infers CNN shapes through same padding, pooling and flatten', () => {
    const result = validateGraph(cnnClassifier([28, 28, 1], 10));
    expect(result.problems).toEqual([]);
    expect(result.nodeOutputShapes.get('conv2d1')).toEqual({ out: [28, 28, 16] });
    expect(result.nodeOutputShapes.get('maxpool2d1')).toEqual({ out: [14, 14, 16] });
    expect(result.nodeOutputShapes.get('maxpool2d2')).toEqual({ out: [7, 7, 32] });
    expect(result.nodeOutputShapes.get('flatten1')).toEqual({ out: [1568] });
    expect(result.nodeOutputShapes.get('dense2')).toEqual({ out: [10] });
  });

  it('infers valid-padding conv shapes with stride', () => {
    const g = new GraphBuilder();
    const input = g.add('Input', { shape: [32, 32, 3] });
    const conv = g.then(input, 'Conv2D', { filters: 8, kernelSize: 5, stride: 2 });
    const pool = g.then(conv, 'AvgPool2D', { poolSize: 3, stride: 2 });
    const result = validateGraph(g.build());
    expect(result.nodeOutputShapes.get(conv)).toEqual({ out: [14, 14, 8] });
    expect(result.nodeOutputShapes.get(pool)).toEqual({ out: [6, 6, 8] });
  });

  it('accepts the 50-node residual benchmark graphs', () => {
    for (const graph of [residualMlp(9), residualCnn(8)]) {
      expect(graph.nodes).toHaveLength(50);
      expect(validateGraph(graph).problems).toEqual([]);
    }
  });

  it('returns params with defaults applied and a dependency order', () => {
    const { g, input, dense, loss } = minimal();
    const result = validateGraph(g.build());
    expect(result.nodeParams.get(dense)).toEqual({ units: 3, useBias: true, init: 'glorot' });
    expect(result.order.indexOf(input)).toBeLessThan(result.order.indexOf(dense));
    expect(result.order.indexOf(dense)).toBeLessThan(result.order.indexOf(loss));
  });

  it('trains a regression graph with MSE and value labels', () => {
    const g = new GraphBuilder();
    const out = g.then(g.add('Input', { shape: [3] }), 'Dense', { units: 2 });
    const targets = g.add('Labels', { encoding: 'values', shape: [2] });
    const loss = g.add('MSE');
    g.connect(out, loss, 'predictions');
    g.connect(targets, loss, 'targets');
    expect(validateGraph(g.build()).problems).toEqual([]);
  });
});

describe('validateGraph problem codes', () => {
  it('UNKNOWN_LAYER names the unknown type on the node', () => {
    const { g, input } = minimal();
    const mystery = g.then(input, 'Transformer');
    const [problem] = validateGraph(g.build()).problems;
    expect(problem).toMatchObject({ code: 'UNKNOWN_LAYER', nodeId: mystery });
    expect(problem!.message).toContain("'Transformer'");
  });

  it('DUPLICATE_ID reports repeated node and edge ids', () => {
    const { g } = minimal();
    const graph = g.build();
    const duplicated: Graph = {
      nodes: [...graph.nodes, { id: 'dense1', type: 'ReLU' }],
      edges: [...graph.edges, { ...graph.edges[0]!, target: 'dense1' }],
    };
    const problems = validateGraph(duplicated).problems;
    expect(problems.filter((p) => p.code === 'DUPLICATE_ID').map((p) => p.nodeId ?? p.edgeId)).toEqual(['dense1', 'e1']);
  });

  it('DANGLING_EDGE covers missing nodes, unknown ports and unnamed ports on multi-input layers', () => {
    const { g, dense, loss } = minimal();
    g.connect('ghost', dense);
    g.connect(dense, loss, 'predictions');
    const add = g.add('Add');
    g.connect(dense, add);
    const problems = validateGraph(g.build()).problems.filter((p) => p.code === 'DANGLING_EDGE');
    expect(problems.map((p) => p.edgeId)).toEqual(['e4', 'e5', 'e6']);
    expect(problems[0]!.message).toBe("Connection starts at 'ghost', which does not exist");
    expect(problems[1]!.message).toBe("Softmax cross-entropy 1: has no input 'predictions' (it has 'logits', 'labels')");
    expect(problems[2]!.message).toBe("Add 1: a connection must say which input it uses ('a', 'b')");
  });

  it('DANGLING_EDGE when connecting out of a loss, which has no outputs', () => {
    const { g, loss } = minimal();
    g.connect(loss, g.add('ReLU'));
    const problem = validateGraph(g.build()).problems.find((p) => p.code === 'DANGLING_EDGE');
    expect(problem?.message).toBe('Softmax cross-entropy 1: has no outputs, so nothing can connect out of it');
  });

  it('CYCLE names every node on the loop, in order', () => {
    const g = new GraphBuilder();
    const input = g.add('Input', { shape: [4] });
    const add = g.add('Add');
    g.connect(input, add, 'a');
    const a = g.then(add, 'Dense', { units: 4 });
    const b = g.then(a, 'ReLU');
    g.connect(b, add, 'b');
    const after = g.then(b, 'Dense', { units: 2 });
    const labels = g.add('Labels');
    const loss = g.add('SoftmaxCrossEntropy');
    g.connect(after, loss, 'logits');
    g.connect(labels, loss, 'labels');
    const result = validateGraph(g.build());
    expect(result.problems.map((p) => p.code)).toEqual(['CYCLE']);
    expect(result.problems[0]).toMatchObject({ nodeId: add, nodeIds: [add, a, b] });
    expect(result.problems[0]!.message).toBe('Add 1: is on a loop: Add 1 → Dense 1 → ReLU 1 → Add 1; remove one of the connections');
    // Nothing on or after the loop gets a shape, and nothing there is reported twice.
    expect(result.nodeOutputShapes.has(after)).toBe(false);
    expect(result.order).toEqual([input, labels]);
  });

  it('CYCLE reports a self-loop', () => {
    const { g, dense } = minimal();
    const relu = g.then(dense, 'ReLU');
    const graph = g.build();
    const looped: Graph = { nodes: graph.nodes, edges: graph.edges.map((e) => (e.target === relu ? { ...e, source: relu } : e)) };
    const cycle = validateGraph(looped).problems.find((p) => p.code === 'CYCLE');
    expect(cycle?.nodeIds).toEqual([relu]);
  });

  it('UNCONNECTED_INPUT names the empty port', () => {
    const { g, dense } = minimal();
    const add = g.add('Add');
    g.connect(dense, add, 'a');
    const problems = validateGraph(g.build()).problems;
    expect(problems).toEqual([{ code: 'UNCONNECTED_INPUT', nodeId: add, message: "Add 1: needs something connected to its input 'b'" }]);
  });

  it('MULTIPLE_EDGES_TO_INPUT flags the extra edge', () => {
    const { g, dense } = minimal();
    const other = g.add('Input', { shape: [4] });
    const extra = g.connect(other, dense);
    const problems = validateGraph(g.build()).problems;
    expect(problems).toEqual([
      {
        code: 'MULTIPLE_EDGES_TO_INPUT',
        nodeId: dense,
        edgeId: extra,
        message: "Dense 1: input 'in' accepts one connection but has 2; use Add or Concat to combine them",
      },
    ]);
  });

  it('NO_INPUT and NO_LOSS for an empty graph', () => {
    expect(codes({ nodes: [], edges: [] })).toEqual(['NO_INPUT', 'NO_LOSS']);
  });

  it('NO_LOSS for a model without a loss layer, NO_INPUT for one fed only by labels', () => {
    const g = new GraphBuilder();
    g.then(g.add('Input', { shape: [2] }), 'Dense', { units: 2 });
    expect(codes(g.build())).toEqual(['NO_LOSS']);

    const h = new GraphBuilder();
    const loss = h.add('MSE');
    h.connect(h.add('Labels', { encoding: 'values', shape: [1] }), loss, 'targets');
    expect(codes(h.build())).toContain('NO_INPUT');
  });

  it('PORT_TYPE_MISMATCH for labels into a tensor port and features into a labels port', () => {
    const g = new GraphBuilder();
    const input = g.add('Input', { shape: [4] });
    const labels = g.add('Labels');
    const dense = g.add('Dense', { units: 3 });
    const labelsIntoDense = g.connect(labels, dense);
    const loss = g.add('SoftmaxCrossEntropy');
    g.connect(dense, loss, 'logits');
    const inputIntoLabels = g.connect(input, loss, 'labels');
    const problems = validateGraph(g.build()).problems;
    expect(problems.map((p) => [p.code, p.edgeId])).toEqual([
      ['PORT_TYPE_MISMATCH', labelsIntoDense],
      ['PORT_TYPE_MISMATCH', inputIntoLabels],
    ]);
    expect(problems[0]!.message).toBe("Dense 1: input 'in' expects a tensor, but Labels 1 output 'out' carries training labels");
    expect(problems[1]!.message).toBe("Softmax cross-entropy 1: input 'labels' expects training labels, but Input 1 output 'out' carries a tensor");
  });

  it('SHAPE_MISMATCH states both shapes and points at the offending edge', () => {
    const g = new GraphBuilder();
    const input = g.add('Input', { shape: [8] });
    const wide = g.then(input, 'Dense', { units: 64 });
    const narrow = g.then(input, 'Dense', { units: 32 });
    const add = g.add('Add');
    g.connect(wide, add, 'a');
    const second = g.connect(narrow, add, 'b');
    const problems = validateGraph(g.build()).problems.filter((p) => p.code === 'SHAPE_MISMATCH');
    expect(problems).toEqual([
      { code: 'SHAPE_MISMATCH', nodeId: add, edgeId: second, message: 'Add 1: expects both inputs to have the same shape, got [64] and [32]' },
    ]);
  });

  it('INVALID_PARAM says the bound and the value, and names the param', () => {
    const { g, input } = minimal(0);
    g.then(input, 'Dropout', { rate: 1 });
    g.then(input, 'Conv2D', { padding: 'full' });
    const problems = validateGraph(g.build()).problems.filter((p) => p.code === 'INVALID_PARAM');
    expect(problems.map((p) => [p.param, p.message])).toEqual([
      ['units', 'Dense 1: units must be at least 1 (got 0)'],
      ['rate', 'Dropout 1: rate must be less than 1 (got 1)'],
      ['padding', "Conv 2D 1: padding must be one of 'valid', 'same' (got 'full')"],
    ]);
  });

  it('INVALID_PARAM from a shape rule (Concat axis out of range for the input rank)', () => {
    const g = new GraphBuilder();
    const input = g.add('Input', { shape: [8] });
    const concat = g.add('Concat', { axis: 2 });
    g.connect(input, concat, 'a');
    g.connect(input, concat, 'b');
    const problem = validateGraph(g.build()).problems.find((p) => p.code === 'INVALID_PARAM');
    expect(problem).toEqual({
      code: 'INVALID_PARAM',
      nodeId: concat,
      param: 'axis',
      message: 'Concatenate 1: axis 2 is out of range for inputs of rank 1 (allowed -1 to 0)',
    });
  });
});

describe('validateGraph reporting', () => {
  it('returns every problem at once', () => {
    const g = new GraphBuilder();
    const input = g.add('Input', { shape: [0] });
    g.then(input, 'Dense', { units: -5 });
    g.add('Wobble');
    g.add('Add');
    expect(codes(g.build()).sort()).toEqual(
      ['INVALID_PARAM', 'INVALID_PARAM', 'NO_LOSS', 'UNCONNECTED_INPUT', 'UNCONNECTED_INPUT', 'UNKNOWN_LAYER'].sort(),
    );
  });

  it('does not cascade: one broken layer yields one problem, not one per downstream layer', () => {
    const g = new GraphBuilder();
    let x = g.add('Input', { shape: [8, 8, 1] });
    x = g.then(x, 'Conv2D', { kernelSize: 9 }); // larger than the 8x8 image
    for (let i = 0; i < 5; i++) x = g.then(g.then(x, 'Dense', { units: 4 }), 'ReLU');
    const loss = g.add('SoftmaxCrossEntropy');
    g.connect(x, loss, 'logits');
    g.connect(g.add('Labels'), loss, 'labels');
    const result = validateGraph(g.build());
    expect(result.problems).toHaveLength(1);
    expect(result.problems[0]!.message).toBe("Conv 2D 1: kernelSize 9 is larger than its input [8, 8, 1]; use a smaller kernelSize or padding 'same'");
    expect(result.nodeOutputShapes.has('dense1')).toBe(false);
  });

  it('skips shape inference below a node with invalid params', () => {
    const { g, dense } = minimal();
    const graph = g.build();
    const broken: Graph = { ...graph, nodes: graph.nodes.map((n) => (n.id === dense ? { ...n, params: { units: 'many' } } : n)) };
    const result = validateGraph(broken);
    expect(result.problems.map((p) => p.message)).toEqual(["Dense 1: units must be a finite number (got 'many')"]);
    expect(result.nodeOutputShapes.has(dense)).toBe(false);
  });

  it('leads every layer problem with the name people gave the layer, or its numbered label, never an id', () => {
    const g = new GraphBuilder();
    const input = g.add('Input', { shape: [8] });
    const wide = g.then(input, 'Dense', { units: 64 });
    const narrow = g.then(input, 'Dense', { units: 32 });
    const add = g.add('Add');
    g.connect(wide, add, 'a');
    g.connect(narrow, add, 'b');
    g.add('Dense', { units: 0 });
    const graph = g.build();
    const plain = validateGraph(graph).problems.filter((p) => p.nodeId !== undefined);
    expect(plain.map((p) => p.message)).toEqual([
      'Dense 3: units must be at least 1 (got 0)',
      "Dense 3: needs something connected to its input 'in'",
      'Add 1: expects both inputs to have the same shape, got [64] and [32]',
    ]);
    const named = validateGraph(graph, { labels: new Map([[add, 'Skip join'], ['not-a-node', 'Ghost']]) }).problems;
    expect(named.find((p) => p.code === 'SHAPE_MISMATCH')?.message).toBe('Skip join: expects both inputs to have the same shape, got [64] and [32]');
    for (const p of named) for (const node of graph.nodes) expect(p.message).not.toContain(node.id);
  });

  it('treats edge handles omitted on single-port layers as that port', () => {
    const graph: Graph = {
      nodes: [
        { id: 'in', type: 'Input', params: { shape: [2] } },
        { id: 'd', type: 'Dense', params: { units: 2 } },
      ],
      edges: [{ id: 'x', source: 'in', sourceHandle: null, target: 'd', targetHandle: null }],
    };
    const result = validateGraph(graph);
    expect(result.edgeShapes.get('x')).toEqual([2]);
    expect(result.problems.map((p) => p.code)).toEqual(['NO_LOSS']);
  });
});
