import type { Values } from '../../cpu/types';
import type { Random } from '../../data/random';
import type { PlanNode } from '../plan';
import type { ParamRole } from '../param-specs';
import type { FloatArray } from '../tensor';

/** Looks up one of the node's own parameters by role; throws a ModelError when it is missing. */
export type ParamLookup = (role: ParamRole) => FloatArray;

export interface OpForwardArgs {
  readonly node: PlanNode;
  readonly batch: number;
  /** One array per connected input port, in port order; batch-major, row-major. */
  readonly inputs: readonly Values[];
  readonly param: ParamLookup;
  readonly training: boolean;
  /** Draws for dropout masks; seeded per step so a pass can be replayed exactly. */
  readonly random: Random;
}

export interface OpForwardResult {
  /** The node's output (undefined for losses). */
  readonly output?: Values;
  /** Mean loss over the batch, for loss layers. */
  readonly loss?: number;
  /** Whatever backward needs beyond inputs and output (masks, batch statistics, loss gradient). */
  readonly saved?: unknown;
}

export interface OpBackwardArgs extends OpForwardArgs {
  readonly output: Values | undefined;
  readonly saved: unknown;
  /** Gradient of the total loss with respect to the output; for losses, the loss's weight (1). */
  readonly dOutput: Values;
}

export interface OpBackwardResult {
  /** Gradient per input port, in port order; undefined for labels, which get no gradient. */
  readonly dInputs: ReadonlyArray<Values | undefined>;
  readonly dParams?: Partial<Record<ParamRole, Values>>;
}

/** A layer's forward and reverse-mode backward on the CPU. */
export interface LayerOp {
  forward(args: OpForwardArgs): OpForwardResult;
  backward(args: OpBackwardArgs): OpBackwardResult;
}

export function input(args: OpForwardArgs, index: number): Values {
  const x = args.inputs[index];
  if (!x) throw new Error(`${args.node.type} '${args.node.id}' is missing input ${index}`);
  return x;
}

/** Scales a gradient by a scalar; losses use it to apply their upstream weight. */
export function scaled(values: Values, factor: number): Float64Array {
  const out = new Float64Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = (values[i] as number) * factor;
  return out;
}
