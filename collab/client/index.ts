export { LAYER_NODE_TYPE, type LayerNodeData, type LayerFlowNode, type LayerFlowEdge, type FlowGraph } from './flow-types';
export {
  EMPTY_LOCAL_STATE,
  LocalFlowStore,
  localStoreFor,
  reduceNodeChanges,
  reduceEdgeChanges,
  withSelection,
  type LocalFlowState,
  type Size,
} from './local-state';
export { docToFlow } from './doc-to-flow';
export { reuseUnchanged } from './stable-flow';
export { applyFlowChanges, connectNodes, flowNodeToNewNode, type FlowChanges } from './apply-flow-changes';
export { realScheduler, type Scheduler } from './scheduler';
export { KeyedThrottle } from './keyed-throttle';
export { DragThrottle, DRAG_WRITE_INTERVAL_MS } from './drag-throttle';
export { createUndoController, UNDO_CAPTURE_TIMEOUT_MS, type UndoController } from './undo';
export {
  CLIPBOARD_FORMAT,
  PASTE_OFFSET,
  copySelection,
  serializeClipboard,
  parseClipboard,
  pasteSelection,
  type ClipboardNode,
  type ClipboardPayload,
  type PasteOptions,
  type PasteResult,
} from './clipboard';
export { deleteSelection, type Selection } from './selection';
export {
  initLocalPresence,
  setPresenceCursor,
  setPresenceSelection,
  readPresenceState,
  listPeers,
  type PresenceUser,
  type PresenceState,
  type Peer,
} from './presence';
export { CursorThrottle, CURSOR_INTERVAL_MS } from './cursor-throttle';
export {
  FollowStore,
  followStoreFor,
  fitRemoteViewport,
  peerViewport,
  readPresenceViewport,
  setPresenceViewport,
  ViewportThrottle,
  type CanvasSize,
  type FollowTarget,
  type PresenceViewport,
  type Viewport,
} from './follow';
export { FlowStore, flowStoreFor } from './flow-store';
export { PresenceStore, presenceStoreFor } from './presence-store';
export { CanvasSession, type CanvasSessionOptions } from './canvas-session';
export { connectCollab, COLLAB_PATH, type ConnectOptions } from './connect';
// Hooks live in ./hooks (import '@/collab/client/hooks') so non-React code can use this index.
export { RoomConnection, type RoomConnectionOptions, type RoomStatus } from './room-connection';
