import type { Graph, Shape } from '../graph/types';
import { getLayer } from '../layers/catalog';
import type { LayerCategory, PortKind } from '../layers/types';
import { validateGraph } from '../validate/validate-graph';
import { ModelError } from './model-error';
import { parameterSpecs, type ParamSpec } from './param-specs';

/** One connected input port of a node: which node's output feeds it and with what shape. */
export interface PlanInput {
  readonly port: string;
  readonly kind: PortKind;
  /** Id of the node whose (single) output feeds this port. */
  readonly source: string;
  readonly shape: Shape;
}

export interface PlanNode {
  readonly id: string;
  readonly type: string;
  readonly category: LayerCategory;
  /** Params with the catalog's defaults applied. */
  readonly params: Readonly<Record<string, unknown>>;
  /** Connected inputs in the layer's port order. */
  readonly inputs: readonly PlanInput[];
  /** Shape of the node's output for one example; undefined for losses, which have no output. */
  readonly outputShape: Shape | undefined;
}

/** What a loss compares: the tensor it scores is the model's prediction at inference time. */
export interface PlanOutput {
  readonly lossId: string;
  readonly lossType: string;
  /** Node whose output the loss scores (logits or predictions). */
  readonly source: string;
  readonly shape: Shape;
}

/**
 * A validated graph turned into an execution plan: nodes in topological order with resolved
 * ports and shapes, plus the parameter list. Every backend (CPU, WebGPU, export) starts here, so
 * they agree on order, names and shapes.
 */
export interface ModelPlan {
  readonly nodes: readonly PlanNode[];
  readonly byId: ReadonlyMap<string, PlanNode>;
  /** Input layers (features), in plan order. */
  readonly inputs: readonly PlanNode[];
  /** Labels layers (targets), in plan order. */
  readonly labels: readonly PlanNode[];
  readonly losses: readonly PlanNode[];
  readonly outputs: readonly PlanOutput[];
  /** Trainable parameters and buffers, in plan order. */
  readonly params: readonly ParamSpec[];
}

/** Builds the plan, or throws ModelError('INVALID_GRAPH') carrying the validator's first problem. */
export function buildModelPlan(graph: Graph): ModelPlan {
  const validation = validateGraph(graph);
  if (!validation.ok) {
    const first = validation.problems[0];
    const more = validation.problems.length > 1 ? ` (and ${validation.problems.length - 1} more problems)` : '';
    throw new ModelError('INVALID_GRAPH', `The graph cannot be run: ${first?.message ?? 'it is invalid'}${more}`, first?.nodeId);
  }
  const nodeById = new Map(graph.nodes.map((n) => [n.id, n]));
  const incoming = new Map<string, Map<string, string>>();
  for (const edge of graph.edges) {
    const spec = getLayer(nodeById.get(edge.target)!.type)!;
    // Validation guarantees an omitted handle means the layer has a single input port.
    const port = edge.targetHandle ?? spec.inputs[0]!.name;
    let ports = incoming.get(edge.target);
    if (!ports) incoming.set(edge.target, (ports = new Map()));
    ports.set(port, edge.source);
  }

  const nodes: PlanNode[] = [];
  for (const id of validation.order) {
    const node = nodeById.get(id)!;
    const spec = getLayer(node.type)!;
    const ports = incoming.get(id);
    const inputs: PlanInput[] = [];
    for (const port of spec.inputs) {
      const source = ports?.get(port.name);
      if (source === undefined) continue;
      const shape = validation.nodeOutputShapes.get(source)?.['out'];
      if (!shape) throw new ModelError('INVALID_GRAPH', `No shape was inferred for the output of '${source}'`, source);
      inputs.push({ port: port.name, kind: port.kind, source, shape });
    }
    nodes.push({
      id,
      type: node.type,
      category: spec.category,
      params: validation.nodeParams.get(id) ?? {},
      inputs,
      outputShape: validation.nodeOutputShapes.get(id)?.['out'],
    });
  }

  const losses = nodes.filter((n) => n.category === 'loss');
  const outputs = losses.map((loss) => {
    const scored = loss.inputs.find((i) => i.kind === 'tensor')!;
    return { lossId: loss.id, lossType: loss.type, source: scored.source, shape: scored.shape };
  });
  return {
    nodes,
    byId: new Map(nodes.map((n) => [n.id, n])),
    inputs: nodes.filter((n) => n.type === 'Input'),
    labels: nodes.filter((n) => n.type === 'Labels'),
    losses,
    outputs,
    params: parameterSpecs(nodes),
  };
}

/** The input shape of a node's port, for ops that need it. */
export function inputShape(node: PlanNode, index = 0): Shape {
  const input = node.inputs[index];
  if (!input) throw new ModelError('INVALID_GRAPH', `${node.type} '${node.id}' has no input ${index}`, node.id);
  return input.shape;
}
