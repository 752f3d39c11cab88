import { itemKernelWgsl, itemWorkgroups, itemWorkgroupSize } from './elementwise-scaffold';
import { input, output, requirePositiveInt, type KernelDef } from './types';

/**
 * y = x. Copies inside the compute pass (copyBufferToBuffer would end it): the engine uses it for
 * the first gradient of a tensor with several consumers and for Dropout at inference.
 */
export interface CopyParams {
  readonly count: number;
}

export const copy: KernelDef<CopyParams> = {
  name: 'copy',
  op: 'copy',
  variant: 'portable',
  summary: 'y = x, element-wise',
  bindings: () => [input('x', 'source'), output('y', 'destination')],
  validate: (p) => requirePositiveInt('count', p.count),
  workgroupSize: (_p, caps) => itemWorkgroupSize(caps),
  workgroups: (p, caps) => itemWorkgroups(p.count, caps),
  wgsl: (p, caps) => itemKernelWgsl({ bindings: copy.bindings(p), items: p.count, body: '  y[i] = x[i];' }, caps),
};
