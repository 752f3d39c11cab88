import { DEFAULT_LEAKY_ALPHA, type Activation } from '../cpu/activations';
import { activationWgsl } from './activation-wgsl';
import { itemKernelWgsl, itemWorkgroups, itemWorkgroupSize } from './elementwise-scaffold';
import { f32Literal, input, output, requirePositiveInt, type KernelDef } from './types';

/** Small element-wise kernels: bias add (+ activation), add, accumulate, dropout mask. */

export interface BiasAddParams {
  readonly rows: number;
  readonly cols: number;
  readonly activation?: Activation;
  readonly alpha?: number;
}

export const biasAdd: KernelDef<BiasAddParams> = {
  name: 'bias-add',
  op: 'bias-add',
  variant: 'portable',
  summary: 'y[r,c] = act(x[r,c] + bias[c]) over a row-major [rows, cols] matrix',
  bindings: () => [input('x', 'input [rows, cols]'), input('bias', 'bias [cols]'), output('y', 'output [rows, cols]')],
  validate: (p) => {
    requirePositiveInt('rows', p.rows);
    requirePositiveInt('cols', p.cols);
  },
  workgroupSize: (_p, caps) => itemWorkgroupSize(caps),
  workgroups: (p, caps) => itemWorkgroups(p.rows * p.cols, caps),
  wgsl: (p, caps) =>
    itemKernelWgsl(
      {
        bindings: biasAdd.bindings(p),
        prelude: activationWgsl(p.activation ?? 'none', 'f32', p.alpha ?? DEFAULT_LEAKY_ALPHA),
        items: p.rows * p.cols,
        body: `  y[i] = activate(x[i] + bias[i % ${p.cols}u]);`,
      },
      caps,
    ),
};

export interface CountParams {
  readonly count: number;
}

const validateCount = (p: CountParams) => requirePositiveInt('count', p.count);

export const add: KernelDef<CountParams> = {
  name: 'add',
  op: 'add',
  variant: 'portable',
  summary: 'y = a + b (residual connections)',
  bindings: () => [input('a', 'first addend'), input('b', 'second addend'), output('y', 'sum')],
  validate: validateCount,
  workgroupSize: (_p, caps) => itemWorkgroupSize(caps),
  workgroups: (p, caps) => itemWorkgroups(p.count, caps),
  wgsl: (p, caps) => itemKernelWgsl({ bindings: add.bindings(p), items: p.count, body: '  y[i] = a[i] + b[i];' }, caps),
};

export const accumulate: KernelDef<CountParams> = {
  name: 'accumulate',
  op: 'accumulate',
  variant: 'portable',
  summary: 'y += x (summing gradients of a tensor that feeds several consumers)',
  bindings: () => [input('x', 'gradient to add'), output('y', 'running gradient, updated in place')],
  validate: validateCount,
  workgroupSize: (_p, caps) => itemWorkgroupSize(caps),
  workgroups: (p, caps) => itemWorkgroups(p.count, caps),
  wgsl: (p, caps) => itemKernelWgsl({ bindings: accumulate.bindings(p), items: p.count, body: '  y[i] = y[i] + x[i];' }, caps),
};

export interface DropoutParams {
  readonly count: number;
  /** Drop probability in [0, 1); kept values are scaled by 1/(1 − rate). */
  readonly rate: number;
}

/** Inverted dropout with a host- or GPU-generated 0/1 keep mask. The backward is the same kernel on dy. */
export const dropoutMask: KernelDef<DropoutParams> = {
  name: 'dropout',
  op: 'dropout',
  variant: 'portable',
  summary: 'y = x * mask / (1 - rate); also the backward (dx from dy)',
  bindings: () => [input('x', 'input (or dy)'), input('mask', '1 = keep, 0 = drop'), output('y', 'output (or dx)')],
  validate: (p) => {
    validateCount(p);
    if (!(p.rate >= 0 && p.rate < 1)) throw new RangeError(`dropout rate must be in [0, 1), got ${p.rate}`);
  },
  workgroupSize: (_p, caps) => itemWorkgroupSize(caps),
  workgroups: (p, caps) => itemWorkgroups(p.count, caps),
  wgsl: (p, caps) =>
    itemKernelWgsl(
      { bindings: dropoutMask.bindings(p), items: p.count, body: `  y[i] = x[i] * mask[i] * ${f32Literal(1 / (1 - p.rate))};` },
      caps,
    ),
};
