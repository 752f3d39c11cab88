import type { PlanNode } from '../../model/plan';
import type { PlanBuilder } from '../plan-builder';

/**
 * How one layer type becomes kernel calls. forward() records the training and inference forward
 * (they differ only for BatchNorm and Dropout) and sets the node's value; backward() runs once the
 * node's output gradient is complete (reverse plan order) and contributes to its inputs' gradients.
 */
export interface LayerLowering {
  forward(b: PlanBuilder, node: PlanNode): void;
  backward(b: PlanBuilder, node: PlanNode): void;
}

/** Elements of one example of a shape. */
export function perExample(shape: readonly number[] | undefined): number {
  let n = 1;
  for (const d of shape ?? []) n *= d;
  return n;
}

/** The node's first input: its source id, shape and element count over the batch. */
export function firstInput(b: PlanBuilder, node: PlanNode): { source: string; shape: readonly number[]; count: number } {
  const input = node.inputs[0]!;
  return { source: input.source, shape: input.shape, count: b.batch * perExample(input.shape) };
}
