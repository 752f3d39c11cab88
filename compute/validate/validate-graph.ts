import { orderIndices } from '../graph/order';
import type { Graph, Shape } from '../graph/types';
import { connectEdges, type Connection, type Wiring } from './connections';
import type { CheckedNode } from './nodes';
import { checkNodes } from './nodes';
import type { Problem } from './problem';
import { aboutLayer, layerNamesFor } from './subject';

export interface GraphValidation {
  /** True when there are no problems: the graph can be trained. */
  readonly ok: boolean;
  /** Every problem found, not just the first. */
  readonly problems: Problem[];
  /** Shape carried by each edge whose shape could be inferred. */
  readonly edgeShapes: Map<string, Shape>;
  /** Output shapes per node, keyed by output port name. */
  readonly nodeOutputShapes: Map<string, Readonly<Record<string, Shape>>>;
  /** Params with defaults applied, for every node whose params are valid. */
  readonly nodeParams: Map<string, Record<string, unknown>>;
  /** Nodes in dependency order, leaving out any on or after a cycle. */
  readonly order: string[];
}

type OutputShapes = Readonly<Record<string, Shape>>;

export interface ValidateOptions {
  /** Names people gave layers, by node id; the rest are named "Dense 2" (see layerNamesFor). */
  readonly labels?: ReadonlyMap<string, string>;
}

/**
 * Checks a graph and infers its shapes in one pass, cheap enough to run on every edit.
 * A node whose inputs are unknown (because something upstream is broken) is skipped rather than
 * reported, so one mistake produces one problem instead of a cascade.
 * Every message about a layer starts with its name as people see it ("Dense 2: expects …"),
 * never with an id; the ids ride along in nodeId / edgeId for the canvas.
 */
export function validateGraph(graph: Graph, options: ValidateOptions = {}): GraphValidation {
  const problems: Problem[] = [];
  const names = layerNamesFor(graph, options.labels);
  const nameOf = (id: string) => names.get(id) ?? 'a removed layer';
  const table = checkNodes(graph, problems);
  const { nodes } = table;
  const wiring = connectEdges(graph, table, problems, nameOf);
  checkInputPorts(nodes, wiring, problems);
  checkGraphHasEnds(nodes, problems);

  const { order, cycles } = orderIndices(nodes.length, wiring.from, wiring.to);
  for (const cycle of cycles) {
    const ids = cycle.map((i) => nodes[i]!.node.id);
    problems.push({
      code: 'CYCLE',
      nodeId: ids[0]!,
      nodeIds: ids,
      message: `is on a loop: ${[...ids, ids[0]!].map(nameOf).join(' → ')}; remove one of the connections`,
    });
  }

  const outputShapes = inferShapes(order, nodes, wiring, problems);

  const edgeShapes = new Map<string, Shape>();
  for (const ports of wiring.incoming) {
    for (const connections of ports) {
      if (!connections) continue;
      for (const connection of connections) {
        const shape = shapeThrough(connection, outputShapes);
        if (shape) edgeShapes.set(connection.edge.id, shape);
      }
    }
  }
  const nodeOutputShapes = new Map<string, OutputShapes>();
  const nodeParams = new Map<string, Record<string, unknown>>();
  for (let i = 0; i < nodes.length; i++) {
    const { node, params } = nodes[i]!;
    const shapes = outputShapes[i];
    if (shapes) nodeOutputShapes.set(node.id, shapes);
    if (params) nodeParams.set(node.id, params);
  }

  const types = new Map<string, string>();
  for (const node of graph.nodes) if (!types.has(node.id)) types.set(node.id, node.type);
  const named = problems.map((p) =>
    p.nodeId === undefined || p.code === 'DUPLICATE_ID' ? p : { ...p, message: aboutLayer(p.message, types.get(p.nodeId) ?? '', nameOf(p.nodeId)) },
  );

  return {
    ok: problems.length === 0,
    problems: named,
    edgeShapes,
    nodeOutputShapes,
    nodeParams,
    order: order.map((i) => nodes[i]!.node.id),
  };
}

function shapeThrough(connection: Connection, outputShapes: Array<OutputShapes | undefined>): Shape | undefined {
  if (!connection.usable || connection.sourcePort === undefined) return undefined;
  return outputShapes[connection.source]?.[connection.sourcePort];
}

function checkInputPorts(nodes: readonly CheckedNode[], wiring: Wiring, problems: Problem[]): void {
  for (let n = 0; n < nodes.length; n++) {
    const { node, spec } = nodes[n]!;
    if (!spec) continue;
    const ports = wiring.incoming[n]!;
    for (let p = 0; p < spec.inputs.length; p++) {
      const port = spec.inputs[p]!;
      const connections = ports[p];
      if (!connections) {
        if (port.required) {
          problems.push({ code: 'UNCONNECTED_INPUT', nodeId: node.id, message: `${spec.type} needs something connected to its input '${port.name}'` });
        }
        continue;
      }
      for (let i = 1; i < connections.length; i++) {
        problems.push({
          code: 'MULTIPLE_EDGES_TO_INPUT',
          nodeId: node.id,
          edgeId: connections[i]!.edge.id,
          message: `${spec.type} input '${port.name}' accepts one connection but has ${connections.length}; use Add or Concat to combine them`,
        });
      }
    }
  }
}

function checkGraphHasEnds(nodes: readonly CheckedNode[], problems: Problem[]): void {
  let hasInput = false;
  let hasLoss = false;
  for (const { spec } of nodes) {
    if (!spec) continue;
    if (spec.category === 'io' && spec.outputs.some((port) => port.kind === 'tensor')) hasInput = true;
    if (spec.category === 'loss') hasLoss = true;
  }
  if (!hasInput) problems.push({ code: 'NO_INPUT', message: 'The model has no Input layer, so no data can flow into it' });
  if (!hasLoss) problems.push({ code: 'NO_LOSS', message: 'The model has no loss layer, so there is nothing to train against; add SoftmaxCrossEntropy or MSE' });
}

function inferShapes(order: readonly number[], nodes: readonly CheckedNode[], wiring: Wiring, problems: Problem[]): Array<OutputShapes | undefined> {
  const outputShapes = new Array<OutputShapes | undefined>(nodes.length);
  for (const n of order) {
    const { node, spec, params } = nodes[n]!;
    if (!spec || !params) continue;
    const ports = wiring.incoming[n]!;
    const inputs: Record<string, Shape> = {};
    const edgeIdByPort: Record<string, string> = {};
    let known = true;
    for (let p = 0; p < spec.inputs.length; p++) {
      const port = spec.inputs[p]!;
      const connections = ports[p];
      const only = connections?.length === 1 ? connections[0] : undefined;
      const shape = only && shapeThrough(only, outputShapes);
      if (only && shape) {
        inputs[port.name] = shape;
        edgeIdByPort[port.name] = only.edge.id;
      } else if (port.required || connections) {
        known = false;
        break;
      }
    }
    if (!known) continue;

    const result = spec.inferShapes(inputs, params);
    if (result.ok) {
      outputShapes[n] = result.outputs;
      continue;
    }
    const { code, message, param, port } = result.error;
    const edgeId = port === undefined ? undefined : edgeIdByPort[port];
    problems.push({
      code,
      message,
      nodeId: node.id,
      ...(param === undefined ? {} : { param }),
      ...(edgeId === undefined ? {} : { edgeId }),
    });
  }
  return outputShapes;
}
