/** Parameters, FLOPs and memory per layer and in total: the editor's model facts and the network quote. */
export {
  ADAM_STATE_COPIES,
  BYTES_PER_VALUE,
  TRAINING_FLOPS_WITH_WEIGHTS,
  TRAINING_FLOPS_WITHOUT_WEIGHTS,
  modelFacts,
  type ModelFactsOptions,
} from './model-facts';
export {
  BATCHNORM_FLOPS_PER_ELEMENT,
  COST_RULES,
  CROSS_ENTROPY_FLOPS_PER_LOGIT,
  MSE_FLOPS_PER_ELEMENT,
  SOFTMAX_FLOPS_PER_ELEMENT,
  type CostRule,
} from './cost-rules';
export { trainingFlops } from './training-flops';
export { ModelFactsError, type ModelFactsErrorCode } from './model-facts-error';
export type { LayerFacts, ModelFacts, ModelFactsProblems, ModelFactsResult, ModelTotals } from './types';
