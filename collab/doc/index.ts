export {
  ROOT,
  NODE_FIELDS,
  SCHEMA_VERSION,
  nodesMap,
  edgesMap,
  metaMap,
  type JsonValue,
  type XY,
  type EdgeRecord,
  type EdgeView,
  type NodeView,
  type MetaView,
  type NodeMap,
} from './schema';
export { CollabOrigin, createLocalOrigin, CLEANUP_ORIGIN } from './origin';
export { CollabDocError, type CollabDocErrorCode } from './errors';
export { newId } from './ids';
export { readNode, hasNode, listNodes, readEdge, listEdges, visibleEdges } from './read';
export { addNode, addNodes, moveNode, moveNodes, setParam, setParams, setLabel, removeNodes, type NewNode } from './nodes';
export { addEdge, addEdges, removeEdges, findEdgeBetween, type NewEdge } from './edges';
export { setMeta, readMeta, type MetaPatch } from './meta';
export { findDanglingEdges, installDanglingEdgeCleanup } from './dangling';
export { autoLayout } from './layout';
export { restoreGraph } from './restore';
export {
  docToGraph,
  docLayout,
  graphToDoc,
  createDocFromGraph,
  type NodeLayout,
  type Layout,
  type GraphToDocOptions,
  type CreateDocOptions,
} from './graph-convert';
export { docToSnapshot, createDocFromSnapshot, type ModelSnapshot } from './snapshot';
