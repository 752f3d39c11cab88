import type { Graph, GraphEdge } from '../graph/types';
import type { LayerSpec, PortSpec } from '../layers/types';
import type { NodeTable } from './nodes';
import type { Problem } from './problem';

/** An edge whose endpoints exist and whose target port is known. */
export interface Connection {
  readonly edge: GraphEdge;
  readonly source: number;
  /** Undefined when the source's layer type is unknown (already reported). */
  readonly sourcePort: string | undefined;
  /** False when the edge is wrong in a way already reported (e.g. port kinds differ), so shapes must not flow through it. */
  readonly usable: boolean;
}

export interface Wiring {
  /** incoming[node][inputPortIndex]: connections into that port, or undefined for none. */
  readonly incoming: Array<Array<Connection[] | undefined>>;
  /** Every edge between existing nodes as `from[k] -> to[k]`, whatever its ports: loops are loops. */
  readonly from: number[];
  readonly to: number[];
}

export function connectEdges(graph: Graph, table: NodeTable, problems: Problem[], nameOf: (id: string) => string): Wiring {
  const { index, nodes } = table;
  const incoming: Wiring['incoming'] = nodes.map((checked) => new Array<Connection[] | undefined>(checked.spec?.inputs.length ?? 0));
  const from: number[] = [];
  const to: number[] = [];
  const seen = new Set<string>();

  for (const edge of graph.edges) {
    if (seen.has(edge.id)) {
      problems.push({ code: 'DUPLICATE_ID', edgeId: edge.id, message: `Two connections share the id '${edge.id}'; ids must be unique` });
      continue;
    }
    seen.add(edge.id);

    const sourceIndex = index.get(edge.source);
    const targetIndex = index.get(edge.target);
    if (sourceIndex === undefined || targetIndex === undefined) {
      const missing = [sourceIndex === undefined && `starts at '${edge.source}'`, targetIndex === undefined && `ends at '${edge.target}'`]
        .filter(Boolean)
        .join(' and ');
      problems.push({ code: 'DANGLING_EDGE', edgeId: edge.id, message: `Connection ${missing}, which does not exist` });
      continue;
    }
    from.push(sourceIndex);
    to.push(targetIndex);

    const source = nodes[sourceIndex]!;
    const target = nodes[targetIndex]!;
    // An unknown layer is already reported; guessing its ports would only add noise.
    if (!target.spec) continue;
    const targetPort = resolvePort(target.spec, target.spec.inputs, edge.targetHandle, 'input', edge, problems);
    if (targetPort < 0) continue;
    let sourcePort: PortSpec | undefined;
    if (source.spec) {
      const position = resolvePort(source.spec, source.spec.outputs, edge.sourceHandle, 'output', edge, problems);
      if (position < 0) continue;
      sourcePort = source.spec.outputs[position]!;
    }

    const input = target.spec.inputs[targetPort]!;
    let usable = true;
    if (sourcePort && sourcePort.kind !== input.kind) {
      usable = false;
      problems.push({
        code: 'PORT_TYPE_MISMATCH',
        edgeId: edge.id,
        nodeId: target.node.id,
        // Led by the target's name in validateGraph: "Dense 1: input 'in' expects a tensor, but …".
        message: `input '${input.name}' expects ${describeKind(input.kind)}, but ${nameOf(source.node.id)} output '${sourcePort.name}' carries ${describeKind(sourcePort.kind)}`,
      });
    }
    const ports = incoming[targetIndex]!;
    const connection: Connection = { edge, source: sourceIndex, sourcePort: sourcePort?.name, usable };
    const list = ports[targetPort];
    if (list) list.push(connection);
    else ports[targetPort] = [connection];
  }
  return { incoming, from, to };
}

/** Index of the port an edge handle names, or -1 after reporting why there is none. */
function resolvePort(
  spec: LayerSpec,
  ports: readonly PortSpec[],
  handle: string | null | undefined,
  side: 'input' | 'output',
  edge: GraphEdge,
  problems: Problem[],
): number {
  if (handle === null || handle === undefined || handle === '') {
    if (ports.length === 1) return 0;
  } else {
    for (let i = 0; i < ports.length; i++) if (ports[i]!.name === handle) return i;
  }
  const nodeId = side === 'input' ? edge.target : edge.source;
  let message: string;
  if (ports.length === 0) message = `${spec.type} has no ${side}s, so nothing can connect ${side === 'input' ? 'into' : 'out of'} it`;
  else if (handle === null || handle === undefined || handle === '') message = `a connection must say which ${side} it uses (${listPorts(ports)})`;
  else message = `${spec.type} has no ${side} '${handle}' (it has ${listPorts(ports)})`;
  problems.push({ code: 'DANGLING_EDGE', edgeId: edge.id, nodeId, message });
  return -1;
}

function listPorts(ports: readonly PortSpec[]): string {
  return ports.map((port) => `'${port.name}'`).join(', ');
}

function describeKind(kind: PortSpec['kind']): string {
  return kind === 'labels' ? 'training labels' : 'a tensor';
}
