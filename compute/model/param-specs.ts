import type { Shape } from '../graph/types';
import type { PlanNode } from './plan';

/**
 * Parameter naming and layout (shared by the CPU executor, the GPU engine and every export):
 *
 *   Dense     `<id>.weight` [in, out]   `<id>.bias` [out]
 *   Conv2D    `<id>.weight` [kernel, kernel, inChannels, outChannels]  (HWIO)   `<id>.bias` [out]
 *   BatchNorm `<id>.weight` (gamma) [C]  `<id>.bias` (beta) [C]
 *             `<id>.running_mean` [C]  `<id>.running_var` [C]   (buffers, not trained)
 *
 * Names follow PyTorch's state_dict keys; layouts follow the maths we run: y = x·W for Dense and the
 * im2col matrix [k·k·in, out] for Conv2D, so neither the CPU nor the GPU transposes at run time.
 * PyTorch and ONNX exports transpose (Linear: Wᵀ; Conv: permute(3, 2, 0, 1)).
 */
export type ParamRole = 'weight' | 'bias' | 'running_mean' | 'running_var';

export type ParamInit = 'glorot' | 'he' | 'zeros' | 'ones';

export interface ParamSpec {
  readonly name: string;
  readonly nodeId: string;
  readonly role: ParamRole;
  readonly shape: Shape;
  /** False for buffers (BatchNorm running statistics): saved and exported, never given gradients. */
  readonly trainable: boolean;
  readonly init: ParamInit;
  /** Fan-in and fan-out for Glorot/He scaling. */
  readonly fanIn: number;
  readonly fanOut: number;
}

export function paramName(nodeId: string, role: ParamRole): string {
  return `${nodeId}.${role}`;
}

export function parameterSpecs(nodes: readonly PlanNode[]): ParamSpec[] {
  const specs: ParamSpec[] = [];
  const add = (node: PlanNode, role: ParamRole, shape: Shape, trainable: boolean, init: ParamInit, fanIn = 0, fanOut = 0) =>
    specs.push({ name: paramName(node.id, role), nodeId: node.id, role, shape, trainable, init, fanIn, fanOut });

  for (const node of nodes) {
    const p = node.params;
    const inShape = node.inputs[0]?.shape ?? [];
    const lastDim = inShape[inShape.length - 1] ?? 1;
    switch (node.type) {
      case 'Dense': {
        const units = p['units'] as number;
        add(node, 'weight', [lastDim, units], true, p['init'] as ParamInit, lastDim, units);
        if (p['useBias'] !== false) add(node, 'bias', [units], true, 'zeros');
        break;
      }
      case 'Conv2D': {
        const k = p['kernelSize'] as number;
        const filters = p['filters'] as number;
        add(node, 'weight', [k, k, lastDim, filters], true, p['init'] as ParamInit, k * k * lastDim, k * k * filters);
        if (p['useBias'] !== false) add(node, 'bias', [filters], true, 'zeros');
        break;
      }
      case 'BatchNorm':
        add(node, 'weight', [lastDim], true, 'ones');
        add(node, 'bias', [lastDim], true, 'zeros');
        add(node, 'running_mean', [lastDim], false, 'zeros');
        add(node, 'running_var', [lastDim], false, 'ones');
        break;
    }
  }
  return specs;
}
