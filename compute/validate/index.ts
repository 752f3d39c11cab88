export { validateGraph, type GraphValidation, type ValidateOptions } from './validate-graph';
export { aboutLayer, layerNamesFor } from './subject';
export { checkDatasetFit, type DatasetFacts } from './dataset-fit';
export type { Problem, ProblemCode } from './problem';
