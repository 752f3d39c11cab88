import { itemKernelWgsl, itemWorkgroups, itemWorkgroupSize } from './elementwise-scaffold';
import type { OptimizerParams } from './optimizers';
import { input, output, requirePositiveInt, uniform, type KernelDef } from './types';

/**
 * PyTorch's Nesterov SGD, fused: g' = g + λp; v = μv + g'; p -= lr·(g' + μv).
 * Uses the same uniform layout as optimizer.sgd-momentum (sgdUniforms).
 */
export const sgdNesterovUpdate: KernelDef<OptimizerParams> = {
  name: 'optimizer.sgd-nesterov',
  op: 'sgd-nesterov',
  variant: 'portable',
  summary: "Nesterov SGD with L2 weight decay: v = μv + g'; p -= lr·(g' + μv)",
  bindings: () => [
    output('param', 'parameters, updated in place'),
    input('grad', 'gradient'),
    output('velocity', 'momentum buffer, updated in place'),
    uniform('hyper', 'SgdHyper { lr, momentum, weightDecay }'),
  ],
  validate: (p) => requirePositiveInt('count', p.count),
  workgroupSize: (_p, caps) => itemWorkgroupSize(caps),
  workgroups: (p, caps) => itemWorkgroups(p.count, caps),
  wgsl: (p, caps) =>
    itemKernelWgsl(
      {
        bindings: sgdNesterovUpdate.bindings(p),
        types: { hyper: 'SgdHyper' },
        prelude: 'struct SgdHyper { lr: f32, momentum: f32, weightDecay: f32, pad: f32 }',
        items: p.count,
        body: `  let pv = param[i];
  let g = grad[i] + hyper.weightDecay * pv;
  let v = hyper.momentum * velocity[i] + g;
  velocity[i] = v;
  param[i] = pv - hyper.lr * (g + hyper.momentum * v);`,
      },
      caps,
    ),
};
