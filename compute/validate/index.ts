export { validateGraph, type GraphValidation } from './validate-graph';
export { checkDatasetFit, type DatasetFacts } from './dataset-fit';
export type { Problem, ProblemCode } from './problem';
