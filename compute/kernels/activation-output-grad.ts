import { DEFAULT_LEAKY_ALPHA, type Activation } from '../cpu/activations';
import { itemKernelWgsl, itemWorkgroups, itemWorkgroupSize } from './elementwise-scaffold';
import { f32Literal, input, output, requirePositiveInt, type KernelDef } from './types';

/**
 * dx = dy · act'(x) computed from the activation's OUTPUT y instead of its input. When a matmul
 * epilogue applies the activation, the pre-activation is never stored, so the backward pass needs
 * the derivative in terms of y. That is possible exactly for the monotone activations below.
 */
export type OutputDifferentiable = Extract<Activation, 'relu' | 'leaky_relu' | 'sigmoid' | 'tanh'>;

export function isOutputDifferentiable(a: Activation): a is OutputDifferentiable {
  return a === 'relu' || a === 'leaky_relu' || a === 'sigmoid' || a === 'tanh';
}

export interface ActivationOutputGradParams {
  readonly count: number;
  readonly activation: OutputDifferentiable;
  readonly alpha?: number;
}

function derivative(p: ActivationOutputGradParams): string {
  switch (p.activation) {
    case 'relu':
      return 'select(0.0, 1.0, yv > 0.0)';
    case 'leaky_relu':
      // alpha > 0 keeps the sign of x, so y > 0 exactly when x > 0.
      return `select(${f32Literal(p.alpha ?? DEFAULT_LEAKY_ALPHA)}, 1.0, yv > 0.0)`;
    case 'sigmoid':
      return 'yv * (1.0 - yv)';
    case 'tanh':
      return '1.0 - yv * yv';
  }
}

export const activationOutputGrad: KernelDef<ActivationOutputGradParams> = {
  name: 'activation.backward-from-output',
  op: 'activation-grad-from-output',
  variant: 'portable',
  summary: "dx = dy * act'(x) with act' expressed through the output y (for activations fused into a matmul)",
  bindings: () => [input('y', 'activation output'), input('dy', 'gradient of the output'), output('dx', 'gradient of the pre-activation')],
  validate: (p) => {
    requirePositiveInt('count', p.count);
    if (!isOutputDifferentiable(p.activation)) throw new RangeError(`${String(p.activation)} has no derivative in terms of its output`);
    if (p.activation === 'leaky_relu' && !((p.alpha ?? DEFAULT_LEAKY_ALPHA) > 0)) throw new RangeError('leaky_relu needs alpha > 0 to be differentiated from its output');
  },
  workgroupSize: (_p, caps) => itemWorkgroupSize(caps),
  workgroups: (p, caps) => itemWorkgroups(p.count, caps),
  wgsl: (p, caps) =>
    itemKernelWgsl(
      { bindings: activationOutputGrad.bindings(p), items: p.count, body: `  let yv = y[i];\n  dx[i] = dy[i] * (${derivative(p)});` },
      caps,
    ),
};
