export { validateGraph, type GraphValidation } from './validate-graph';
export type { Problem, ProblemCode } from './problem';
