import { ModelError } from './model-error';
import type { ModelPlan } from './plan';
import { sizeOf, type ParameterSet } from './tensor';

/** Every parameter the plan needs is present with the right shape (e.g. after loading a file). */
export function checkParameters(plan: Pick<ModelPlan, 'params'>, params: ParameterSet): void {
  for (const spec of plan.params) {
    const tensor = params.get(spec.name);
    if (!tensor) throw new ModelError('MISSING_PARAMETER', `Parameter '${spec.name}' is missing`, spec.nodeId);
    const same = tensor.shape.length === spec.shape.length && tensor.shape.every((d, i) => d === spec.shape[i]);
    if (!same || tensor.data.length !== sizeOf(spec.shape)) {
      throw new ModelError(
        'BAD_PARAMETER',
        `Parameter '${spec.name}' has shape [${tensor.shape.join(', ')}] (${tensor.data.length} values), expected [${spec.shape.join(', ')}]`,
        spec.nodeId,
      );
    }
  }
}
