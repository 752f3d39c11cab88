import { formatShape } from '@/compute/graph';
import type { GraphValidation, Problem } from '@/compute/validate';

/** A validation result arranged the way the canvas reads it: by node and by edge. */
export interface ProblemIndex {
  readonly validation: GraphValidation;
  readonly byNode: ReadonlyMap<string, readonly Problem[]>;
  readonly byEdge: ReadonlyMap<string, readonly Problem[]>;
}

const NONE: readonly Problem[] = [];

function push(map: Map<string, Problem[]>, id: string, problem: Problem): void {
  const list = map.get(id);
  if (list) {
    if (!list.includes(problem)) list.push(problem);
  } else map.set(id, [problem]);
}

/**
 * Problems addressed to an edge go on the edge (that is what the user must rewire); the rest go
 * on their node, and a cycle on every node of the loop.
 */
export function indexProblems(validation: GraphValidation): ProblemIndex {
  const byNode = new Map<string, Problem[]>();
  const byEdge = new Map<string, Problem[]>();
  for (const problem of validation.problems) {
    if (problem.edgeId !== undefined) push(byEdge, problem.edgeId, problem);
    else if (problem.nodeIds) for (const id of problem.nodeIds) push(byNode, id, problem);
    else if (problem.nodeId !== undefined) push(byNode, problem.nodeId, problem);
  }
  return { validation, byNode, byEdge };
}

export function nodeProblems(index: ProblemIndex, nodeId: string): readonly Problem[] {
  return index.byNode.get(nodeId) ?? NONE;
}

/** What an edge label reads: the shape it carries, like "[8, 8, 16]", or nothing while unknown. */
export function edgeShapeText(index: ProblemIndex, edgeId: string): string | undefined {
  const shape = index.validation.edgeShapes.get(edgeId);
  return shape ? formatShape(shape) : undefined;
}

/** Output shapes of a node for its footer, e.g. "[64]"; several ports are listed by name. */
export function nodeOutputText(index: ProblemIndex, nodeId: string): string | undefined {
  const shapes = index.validation.nodeOutputShapes.get(nodeId);
  if (!shapes) return undefined;
  const entries = Object.entries(shapes);
  if (entries.length === 0) return undefined;
  if (entries.length === 1) return formatShape(entries[0]![1]);
  return entries.map(([port, shape]) => `${port} ${formatShape(shape)}`).join(', ');
}
