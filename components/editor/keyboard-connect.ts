import type { Connection } from '@xyflow/react';
import { getLayer } from '@/compute/layers';

/** A layer as the keyboard wiring picker sees it. */
export interface WiringCandidate {
  readonly id: string;
  readonly type: string;
  readonly name: string;
}

interface ExistingEdge {
  readonly target: string;
  readonly targetHandle?: string | null;
}

/**
 * Where a connection started from `sourceId` (key C on a selected layer) can go: every other layer
 * with an input, those whose name matches the search first, in the order given (the canvas order).
 */
export function wiringTargets(sourceId: string, layers: readonly WiringCandidate[], search = ''): WiringCandidate[] {
  const query = search.trim().toLowerCase();
  return layers.filter((l) => l.id !== sourceId && (getLayer(l.type)?.inputs.length ?? 0) > 0 && (query === '' || l.name.toLowerCase().includes(query) || l.type.toLowerCase().includes(query)));
}

/**
 * The connection Enter makes: the source's first output into the target's first free input that
 * takes what the output carries (Labels go into a loss's 'labels', a tensor into its 'logits',
 * whichever is wired first), else its first free input, else its first input (so the validator
 * explains the extra connection). Null when either end has no port.
 */
export function keyboardConnection(source: WiringCandidate, target: WiringCandidate, edges: readonly ExistingEdge[]): Connection | null {
  const output = getLayer(source.type)?.outputs[0];
  const inputs = getLayer(target.type)?.inputs ?? [];
  if (!output || inputs.length === 0) return null;
  const taken = new Set(edges.filter((e) => e.target === target.id).map((e) => e.targetHandle));
  const free = inputs.filter((p) => !taken.has(p.name));
  const input = free.find((p) => p.kind === output.kind) ?? free[0] ?? inputs.find((p) => p.kind === output.kind) ?? inputs[0]!;
  return { source: source.id, sourceHandle: output.name, target: target.id, targetHandle: input.name };
}
