import type { ModelPlan } from '../model/plan';

/**
 * Which gradients a training step must compute. A node needs a gradient when it has trainable
 * parameters or a tensor input that needs one; it runs its backward only if, in addition, its
 * output reaches a loss. The first Dense layer therefore never computes dX (its input is data),
 * and a dangling branch costs nothing in the backward pass.
 *
 * `contributions` counts, per tensor, how many backward kernels will add to its gradient: one per
 * consuming port. With one contribution the gradient can be written (or aliased) directly; with
 * several the later ones are accumulated.
 */
export interface GradFlow {
  readonly needsGrad: ReadonlySet<string>;
  readonly runsBackward: ReadonlySet<string>;
  readonly contributions: ReadonlyMap<string, number>;
  /** Consumers of each node's output, in plan order (all ports, backward or not). */
  readonly consumers: ReadonlyMap<string, readonly string[]>;
}

export function analyseGradFlow(model: ModelPlan): GradFlow {
  const trainableNodes = new Set(model.params.filter((p) => p.trainable).map((p) => p.nodeId));
  const needsGrad = new Set<string>();
  const consumers = new Map<string, string[]>();
  for (const node of model.nodes) {
    for (const input of node.inputs) {
      const list = consumers.get(input.source) ?? [];
      list.push(node.id);
      consumers.set(input.source, list);
    }
    if (node.category === 'io') continue;
    if (trainableNodes.has(node.id) || node.inputs.some((i) => i.kind === 'tensor' && needsGrad.has(i.source))) needsGrad.add(node.id);
  }

  const reachesLoss = new Set<string>();
  for (let i = model.nodes.length - 1; i >= 0; i--) {
    const node = model.nodes[i]!;
    if (node.category === 'loss' || (consumers.get(node.id) ?? []).some((c) => reachesLoss.has(c))) reachesLoss.add(node.id);
  }

  const runsBackward = new Set<string>();
  const contributions = new Map<string, number>();
  for (const node of model.nodes) {
    if (!needsGrad.has(node.id) || !reachesLoss.has(node.id)) continue;
    runsBackward.add(node.id);
    for (const input of node.inputs) {
      if (input.kind === 'tensor' && needsGrad.has(input.source)) contributions.set(input.source, (contributions.get(input.source) ?? 0) + 1);
    }
  }
  return { needsGrad, runsBackward, contributions, consumers };
}
