export type { LayerCategory, LayerSpec, ParamsSchema, PortKind, PortSpec, ShapeRuleError, ShapeRuleResult } from './types';
export { LAYERS, LAYER_CATEGORIES, getLayer, layersInCategory, type LayerCatalog } from './catalog';
export { parseLayerParams, type ParsedParams } from './parse-params';
export { describeParamIssues, type ParamIssue } from './param-issues';
export { Input, Labels } from './io';
export { Dense, Dropout, Flatten, Reshape } from './core';
export { AvgPool2D, Conv2D, MaxPool2D } from './conv';
export { GELU, LeakyReLU, ReLU, Sigmoid, Softmax, Tanh } from './activations';
export { BatchNorm } from './normalization';
export { Add, Concat } from './merge';
export { MSE, SoftmaxCrossEntropy } from './losses';
export {
  AdamSchema,
  AdamWSchema,
  OptimizerSchema,
  SgdSchema,
  type AdamConfig,
  type AdamWConfig,
  type OptimizerConfig,
  type SgdConfig,
} from './optimizers';
export {
  ConstantScheduleSchema,
  CosineScheduleSchema,
  LrScheduleSchema,
  StepScheduleSchema,
  learningRateAt,
  type LrSchedule,
} from './lr-schedules';
