import type { Graph } from './types';

export interface NodeOrder {
  /** Node ids in dependency order; excludes nodes on a cycle and everything downstream of one. */
  readonly order: string[];
  /** One cycle per strongly connected component, as node ids in edge direction (a -> b -> ... -> a). */
  readonly cycles: string[][];
}

/**
 * Orders nodes so every edge points forward, tolerating broken graphs: edges to unknown nodes are
 * ignored and only the first node with a given id counts (the validator reports both problems).
 * Ties keep the order nodes appear in, so the result is stable while people edit.
 */
export function orderNodes(graph: Graph): NodeOrder {
  const index = new Map<string, number>();
  const ids: string[] = [];
  for (const node of graph.nodes) {
    if (index.has(node.id)) continue;
    index.set(node.id, ids.length);
    ids.push(node.id);
  }
  const from: number[] = [];
  const to: number[] = [];
  for (const edge of graph.edges) {
    const source = index.get(edge.source);
    const target = index.get(edge.target);
    if (source === undefined || target === undefined) continue;
    from.push(source);
    to.push(target);
  }
  const { order, cycles } = orderIndices(ids.length, from, to);
  return { order: order.map((i) => ids[i]!), cycles: cycles.map((cycle) => cycle.map((i) => ids[i]!)) };
}

export interface IndexOrder {
  readonly order: number[];
  readonly cycles: number[][];
}

/** orderNodes over dense node indices; `from[k] -> to[k]` is edge k. The validator calls this directly to avoid re-indexing. */
export function orderIndices(n: number, from: readonly number[], to: readonly number[]): IndexOrder {
  const successors = compressedSuccessors(n, from, to);
  const { offsets, targets } = successors;
  const inDegree = new Int32Array(n);
  for (let k = 0; k < to.length; k++) inDegree[to[k]!]! += 1;

  // Kahn's algorithm; the queue is seeded in node order and grows in discovery order, which is deterministic.
  const order: number[] = [];
  for (let i = 0; i < n; i++) if (inDegree[i] === 0) order.push(i);
  const placed = new Uint8Array(n);
  for (let head = 0; head < order.length; head++) {
    const current = order[head]!;
    placed[current] = 1;
    for (let k = offsets[current]!, end = offsets[current + 1]!; k < end; k++) {
      const next = targets[k]!;
      if (--inDegree[next]! === 0) order.push(next);
    }
  }
  if (order.length === n) return { order, cycles: [] };
  return { order, cycles: findCycles(n, successors, placed) };
}

interface Successors {
  /** Successors of node i are targets[offsets[i] .. offsets[i + 1]). */
  readonly offsets: Int32Array;
  readonly targets: Int32Array;
}

function compressedSuccessors(n: number, from: readonly number[], to: readonly number[]): Successors {
  const offsets = new Int32Array(n + 1);
  for (let k = 0; k < from.length; k++) offsets[from[k]! + 1]! += 1;
  for (let i = 0; i < n; i++) offsets[i + 1]! += offsets[i]!;
  const fill = offsets.slice(0, n);
  const targets = new Int32Array(from.length);
  for (let k = 0; k < from.length; k++) targets[fill[from[k]!]!++] = to[k]!;
  return { offsets, targets };
}

/** Tarjan's SCC over the nodes Kahn could not place, written iteratively so deep graphs cannot overflow the stack. */
function findCycles(n: number, successors: Successors, placed: Uint8Array): number[][] {
  const { offsets, targets } = successors;
  const UNVISITED = -1;
  const discovery = new Int32Array(n).fill(UNVISITED);
  const low = new Int32Array(n);
  const onStack = new Uint8Array(n);
  const stack: number[] = [];
  const components: number[][] = [];
  let time = 0;

  for (let root = 0; root < n; root++) {
    if (placed[root] || discovery[root] !== UNVISITED) continue;
    // Each frame is [node, position of the next successor to visit].
    const work: Array<[number, number]> = [[root, offsets[root]!]];
    discovery[root] = low[root] = time++;
    stack.push(root);
    onStack[root] = 1;
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const node = frame[0];
      if (frame[1] < offsets[node + 1]!) {
        const child = targets[frame[1]++]!;
        if (placed[child]) continue;
        if (discovery[child] === UNVISITED) {
          discovery[child] = low[child] = time++;
          stack.push(child);
          onStack[child] = 1;
          work.push([child, offsets[child]!]);
        } else if (onStack[child]) {
          low[node] = Math.min(low[node]!, discovery[child]!);
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low[parent[0]] = Math.min(low[parent[0]]!, low[node]!);
      if (low[node] === discovery[node]) {
        const component: number[] = [];
        let member: number;
        do {
          member = stack.pop()!;
          onStack[member] = 0;
          component.push(member);
        } while (member !== node);
        if (component.length > 1 || hasSelfLoop(node, successors)) components.push(component);
      }
    }
  }

  return components
    .map((component) => shortestCycleThrough(Math.min(...component), new Set(component), successors))
    .sort((a, b) => a[0]! - b[0]!);
}

function hasSelfLoop(node: number, { offsets, targets }: Successors): boolean {
  for (let k = offsets[node]!; k < offsets[node + 1]!; k++) if (targets[k] === node) return true;
  return false;
}

/** A concrete loop a person can follow, rather than an unordered set of nodes. */
function shortestCycleThrough(start: number, members: Set<number>, { offsets, targets }: Successors): number[] {
  const previous = new Map<number, number>();
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    const current = queue[head]!;
    for (let k = offsets[current]!; k < offsets[current + 1]!; k++) {
      const next = targets[k]!;
      if (!members.has(next)) continue;
      if (next === start) {
        const path = [current];
        while (path[path.length - 1] !== start) path.push(previous.get(path[path.length - 1]!)!);
        return path.reverse();
      }
      if (!previous.has(next)) {
        previous.set(next, current);
        queue.push(next);
      }
    }
  }
  // Unreachable for a genuine strongly connected component; kept so the function is total.
  return [start];
}
