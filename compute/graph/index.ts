export type { Graph, GraphEdge, GraphNode, Shape } from './types';
export { formatShape, shapeSize, shapesEqual } from './shape';
export { orderNodes, type NodeOrder } from './order';
export { GraphCycleError, topoSort } from './topo-sort';
export { GraphBuilder } from './builder';
export { graphHash } from './graph-hash';
export { sha256Hex } from './sha256';
export { cnnClassifier, mlpClassifier, residualCnn, residualMlp } from './examples';
export { layerLabels, type LabelledNode } from './layer-labels';
