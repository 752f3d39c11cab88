import { DEFAULT_LEAKY_ALPHA, type Activation } from '../cpu/activations';
import { isOutputDifferentiable, type OutputDifferentiable } from '../kernels/activation-output-grad';
import type { ModelPlan, PlanNode } from '../model/plan';
import type { GradFlow } from './grad-flow';

/**
 * Activation fusion: a Dense or Conv2D whose only consumer is a ReLU / LeakyReLU / Sigmoid / Tanh
 * applies it in the matmul epilogue, saving a dispatch and a full activation buffer per layer. The
 * backward then differentiates through the activation's output (the pre-activation is never
 * stored), which is why GELU, whose derivative needs its input, is not fused.
 */
export interface Fusion {
  readonly producer: string;
  readonly activationNode: string;
  readonly activation: OutputDifferentiable;
  readonly alpha: number;
}

const ACTIVATION_OF: Readonly<Record<string, Activation>> = {
  ReLU: 'relu',
  LeakyReLU: 'leaky_relu',
  Sigmoid: 'sigmoid',
  Tanh: 'tanh',
  GELU: 'gelu',
};

export function activationOf(node: PlanNode): Activation | undefined {
  return ACTIVATION_OF[node.type];
}

export function alphaOf(node: PlanNode): number {
  return (node.params['alpha'] as number | undefined) ?? DEFAULT_LEAKY_ALPHA;
}

/** Fusions keyed by both the producer and the activation node id. */
export function findFusions(model: ModelPlan, flow: GradFlow): Map<string, Fusion> {
  const fusions = new Map<string, Fusion>();
  for (const node of model.nodes) {
    if (node.type !== 'Dense' && node.type !== 'Conv2D') continue;
    const consumers = flow.consumers.get(node.id) ?? [];
    if (consumers.length !== 1) continue;
    const next = model.byId.get(consumers[0]!);
    if (!next) continue;
    const activation = activationOf(next);
    if (!activation || !isOutputDifferentiable(activation)) continue;
    const alpha = alphaOf(next);
    if (activation === 'leaky_relu' && !(alpha > 0)) continue;
    const fusion: Fusion = { producer: node.id, activationNode: next.id, activation, alpha };
    fusions.set(node.id, fusion);
    fusions.set(next.id, fusion);
  }
  return fusions;
}
