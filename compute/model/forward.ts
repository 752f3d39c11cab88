import type { Values } from '../cpu/types';
import { mulberry32 } from '../data/random';
import { checkParameters } from './check-parameters';
import { checkFeed, type Feed } from './feed';
import { ModelError } from './model-error';
import { CPU_OPS } from './ops/registry';
import type { ParamLookup } from './ops/types';
import type { ModelPlan, PlanNode } from './plan';
import { paramName } from './param-specs';
import type { ParameterSet } from './tensor';

export interface ForwardOptions {
  /** Training mode: dropout is active and BatchNorm uses (and updates) batch statistics. */
  readonly training: boolean;
  /** Seeds dropout masks; the same seed replays the same masks. Default 0. */
  readonly seed?: number;
}

/** Everything backward needs, and the outputs a caller wants. */
export interface ForwardPass {
  readonly plan: ModelPlan;
  readonly feed: Feed;
  readonly training: boolean;
  /** Output of every non-loss node (and the fed Input/Labels arrays), keyed by node id. */
  readonly values: ReadonlyMap<string, Values>;
  readonly saved: ReadonlyMap<string, unknown>;
  /** Mean loss per loss node that had labels. */
  readonly losses: ReadonlyMap<string, number>;
  /** Sum of the losses, or undefined when no labels were fed. */
  readonly loss: number | undefined;
}

export function paramLookup(params: ParameterSet, node: PlanNode): ParamLookup {
  return (role) => {
    const tensor = params.get(paramName(node.id, role));
    if (!tensor) throw new ModelError('MISSING_PARAMETER', `Parameter '${paramName(node.id, role)}' is missing`, node.id);
    return tensor.data;
  };
}

/** Runs the plan in topological order. Params are read, except BatchNorm running buffers in training. */
export function forward(plan: ModelPlan, params: ParameterSet, feed: Feed, options: ForwardOptions): ForwardPass {
  checkFeed(plan, feed);
  checkParameters(plan, params);
  const random = mulberry32(options.seed ?? 0);
  const values = new Map<string, Values>();
  const saved = new Map<string, unknown>();
  const losses = new Map<string, number>();
  for (const node of plan.nodes) {
    if (node.type === 'Input') {
      values.set(node.id, feed.inputs[node.id]!);
      continue;
    }
    if (node.type === 'Labels') {
      const labels = feed.labels?.[node.id];
      if (labels) values.set(node.id, labels);
      continue;
    }
    const inputs = node.inputs.map((i) => values.get(i.source));
    // A loss whose labels were not fed is skipped: that is inference.
    if (inputs.some((x) => x === undefined)) continue;
    const op = CPU_OPS.get(node.type);
    if (!op) throw new ModelError('UNSUPPORTED_LAYER', `The CPU executor has no implementation of ${node.type}`, node.id);
    const result = op.forward({
      node,
      batch: feed.batch,
      inputs: inputs as Values[],
      param: paramLookup(params, node),
      training: options.training,
      random,
    });
    if (result.output) values.set(node.id, result.output);
    if (result.saved !== undefined) saved.set(node.id, result.saved);
    if (result.loss !== undefined) losses.set(node.id, result.loss);
  }
  let loss: number | undefined;
  for (const l of losses.values()) loss = (loss ?? 0) + l;
  return { plan, feed, training: options.training, values, saved, losses, loss };
}

/** The tensors the losses score (logits / predictions), keyed by the producing node id. */
export function predictions(pass: ForwardPass): Map<string, Values> {
  const out = new Map<string, Values>();
  for (const o of pass.plan.outputs) {
    const v = pass.values.get(o.source);
    if (v) out.set(o.source, v);
  }
  return out;
}
