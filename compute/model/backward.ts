import type { Values } from '../cpu/types';
import type { ForwardPass } from './forward';
import { paramLookup } from './forward';
import { ModelError } from './model-error';
import { CPU_OPS } from './ops/registry';
import type { ParameterSet } from './tensor';

export interface Gradients {
  /** d(total loss)/d(parameter) for every trainable parameter (zeros where the loss does not reach). */
  readonly params: Map<string, Float64Array>;
  /** d(total loss)/d(features) per Input node. */
  readonly inputs: Map<string, Float64Array>;
}

/**
 * Reverse-mode differentiation over the plan: each loss is seeded with weight 1 and gradients flow
 * back in reverse topological order, summing where an output feeds several layers.
 */
export function backward(pass: ForwardPass, params: ParameterSet): Gradients {
  const { plan } = pass;
  if (pass.loss === undefined) throw new ModelError('MISSING_FEED', 'Backward needs a forward pass with labels, so that there is a loss to differentiate');
  const upstream = new Map<string, Values>();
  const accumulate = (id: string, grad: Values) => {
    const existing = upstream.get(id);
    if (!existing) {
      // Ops may pass one array to several inputs (Add, Reshape), so a stored gradient is never mutated.
      upstream.set(id, grad);
      return;
    }
    const sum = new Float64Array(existing.length);
    for (let i = 0; i < sum.length; i++) sum[i] = existing[i]! + grad[i]!;
    upstream.set(id, sum);
  };
  for (const id of pass.losses.keys()) upstream.set(id, [1]);

  const paramGrads = new Map<string, Float64Array>();
  for (const spec of plan.params) if (spec.trainable) paramGrads.set(spec.name, new Float64Array(spec.shape.reduce((a, b) => a * b, 1)));

  for (let n = plan.nodes.length - 1; n >= 0; n--) {
    const node = plan.nodes[n]!;
    const dOutput = upstream.get(node.id);
    if (!dOutput || node.category === 'io') continue;
    const op = CPU_OPS.get(node.type)!;
    const inputs = node.inputs.map((i) => pass.values.get(i.source)!);
    const result = op.backward({
      node,
      batch: pass.feed.batch,
      inputs,
      param: paramLookup(params, node),
      training: pass.training,
      random: () => 0,
      output: pass.values.get(node.id),
      saved: pass.saved.get(node.id),
      dOutput,
    });
    node.inputs.forEach((input, i) => {
      const grad = result.dInputs[i];
      if (grad && input.kind === 'tensor') accumulate(input.source, grad);
    });
    for (const [role, grad] of Object.entries(result.dParams ?? {})) {
      const target = paramGrads.get(`${node.id}.${role}`);
      if (!target || !grad) continue;
      for (let i = 0; i < target.length; i++) target[i] = target[i]! + grad[i]!;
    }
  }

  const inputGrads = new Map<string, Float64Array>();
  for (const node of plan.inputs) {
    const g = upstream.get(node.id);
    inputGrads.set(node.id, g ? Float64Array.from(g) : new Float64Array(pass.feed.inputs[node.id]!.length));
  }
  return { params: paramGrads, inputs: inputGrads };
}
