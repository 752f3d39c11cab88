/** Parameters, the CPU executor (forward, backward, optimizer) and the CPU trainer built on them. */
export { ModelError, type ModelErrorCode } from './model-error';
export { allocate, cloneParameters, sizeOf, type FloatArray, type ParamDtype, type ParameterSet, type Tensor } from './tensor';
export { buildModelPlan, type ModelPlan, type PlanInput, type PlanNode, type PlanOutput } from './plan';
export { paramName, parameterSpecs, type ParamInit, type ParamRole, type ParamSpec } from './param-specs';
export { initParameters, type InitOptions } from './init';
export { checkParameters } from './check-parameters';
export { checkFeed, feedFromBatch, type Feed } from './feed';
export { forward, predictions, type ForwardOptions, type ForwardPass } from './forward';
export { backward, type Gradients } from './backward';
export {
  createOptimizerState,
  currentLearningRate,
  optimizerSlots,
  optimizerStep,
  type OptimizerSlot,
  type OptimizerState,
} from './optimizer';
export { CpuTrainer, type CpuTrainerOptions, type Evaluation, type StepResult } from './trainer';
