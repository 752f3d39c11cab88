import { DEFAULT_LEAKY_ALPHA, type Activation } from '../cpu/activations';
import { activationWgsl } from './activation-wgsl';
import { itemKernelWgsl, itemWorkgroups, itemWorkgroupSize } from './elementwise-scaffold';
import { input, output, requirePositiveInt, type KernelDef } from './types';

/**
 * Stand-alone activations (for when no matmul epilogue can absorb them, e.g. after a pooling or
 * normalisation). The backward takes the pre-activation x, matching the CPU reference.
 */
export interface ActivationParams {
  readonly count: number;
  readonly activation: Activation;
  readonly alpha?: number;
}

const validate = (p: ActivationParams) => requirePositiveInt('count', p.count);

export const activationForward: KernelDef<ActivationParams> = {
  name: 'activation.forward',
  op: 'activation',
  variant: 'portable',
  summary: 'y = act(x), element-wise',
  bindings: () => [input('x', 'pre-activation'), output('y', 'activation output')],
  validate,
  workgroupSize: (_p, caps) => itemWorkgroupSize(caps),
  workgroups: (p, caps) => itemWorkgroups(p.count, caps),
  wgsl: (p, caps) =>
    itemKernelWgsl(
      {
        bindings: activationForward.bindings(p),
        prelude: activationWgsl(p.activation, 'f32', p.alpha ?? DEFAULT_LEAKY_ALPHA),
        items: p.count,
        body: '  y[i] = activate(x[i]);',
      },
      caps,
    ),
};

export const activationBackward: KernelDef<ActivationParams> = {
  name: 'activation.backward',
  op: 'activation-grad',
  variant: 'portable',
  summary: "dx = dy * act'(x), element-wise",
  bindings: () => [input('x', 'pre-activation from the forward pass'), input('dy', 'gradient of the output'), output('dx', 'gradient of x')],
  validate,
  workgroupSize: (_p, caps) => itemWorkgroupSize(caps),
  workgroups: (p, caps) => itemWorkgroups(p.count, caps),
  wgsl: (p, caps) =>
    itemKernelWgsl(
      {
        bindings: activationBackward.bindings(p),
        prelude: activationWgsl(p.activation, 'f32', p.alpha ?? DEFAULT_LEAKY_ALPHA),
        items: p.count,
        body: '  dx[i] = dy[i] * activate_grad(x[i]);',
      },
      caps,
    ),
};
