'use client';

import { Background, Controls, MiniMap, ReactFlow, useNodesInitialized, useReactFlow, type NodeChange } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useCallback, useEffect, useMemo, useRef, useState, type DragEvent, type RefObject, type PointerEvent } from 'react';
import type { Awareness } from 'y-protocols/awareness';
import { CursorThrottle, type CanvasSession } from '@/collab/client';
import { useCollabGraph, usePresence } from '@/collab/client/hooks';
import type { XY } from '@/collab/doc';
import { decorateEdges, SHAPED_EDGE_TYPE } from './decorate-edges';
import { FIT_OPTIONS } from './editor-actions';
import { CanvasEmptyState } from './CanvasEmptyState';
import { isLayerDrag, LAYER_DRAG_TYPE } from './layer-drag';
import { connectionName } from './layer-names';
import { LayerNode } from './LayerNode';
import { PeerSelectionContext, peerSelectionMap } from './peer-selection';
import type { ProblemIndex } from './problem-index';
import { RemoteCursors } from './RemoteCursors';
import { useThemeChoice } from '../theme/theme';
import { ShapedEdge } from './ShapedEdge';
import { useLayerNames } from './use-layer-names';
import { useViewportFollow } from './use-follow';
import { ProblemIndexContext } from './validation-context';

const NODE_TYPES = { layer: LayerNode };
const ZOOM_LIMITS = { minZoom: FIT_OPTIONS.minZoom, maxZoom: 2.5 } as const;
const EDGE_TYPES = { [SHAPED_EDGE_TYPE]: ShapedEdge };

interface CanvasProps {
  session: CanvasSession;
  awareness: Awareness;
  readOnly: boolean;
  index: ProblemIndex;
  /** True until the room has sent the document for the first time. */
  loading: boolean;
  /** A layer dragged from the palette was dropped at this flow position. */
  onDropLayer: (type: string, at: XY) => void;
}

/**
 * The shared canvas: the document drawn by React Flow, other people's cursors and selections on
 * top. React Flow mounts once the document has arrived, so that a model opening with layers is
 * fitted to the view while a blank one is not re-fitted (and shifted) when its first layer lands.
 */
export function Canvas(props: CanvasProps) {
  if (props.loading) {
    return (
      <div className="canvas" data-testid="canvas">
        <CanvasEmptyState loading readOnly={props.readOnly} />
      </div>
    );
  }
  return <FlowCanvas {...props} />;
}

/**
 * Fits the model into view once its layers have arrived and React Flow has measured them (sizes
 * are known only then, so an earlier fit would crop wide layers). The layers may arrive a moment
 * after the canvas mounts, so this waits for them; but layers this person placed on a blank
 * canvas (their undo stack is not empty) are not a model opening, and the view is left alone.
 * Until the person pans or zooms, the fit is redone when the canvas changes size (panels
 * settling, a phone's bars, a rotated screen), so the opened model stays whole in view.
 */
function useFitOnceMeasured(session: CanvasSession, nodeCount: number, containerRef: RefObject<HTMLDivElement | null>, touchedRef: RefObject<boolean>) {
  const flow = useReactFlow();
  const measured = useNodesInitialized();
  const [fitted, setFitted] = useState(false);
  useEffect(() => {
    if (fitted || nodeCount === 0 || !measured) return;
    // eslint-disable-next-line react-hooks/set-state-in-effect -- once, when the nodes have their sizes
    setFitted(true);
    if (session.undo.canUndo()) {
      touchedRef.current = true;
      return;
    }
    void flow.fitView({ ...FIT_OPTIONS, duration: 0 });
  }, [session, nodeCount, measured, flow, fitted, touchedRef]);
  useEffect(() => {
    const el = containerRef.current;
    if (!fitted || !el || typeof ResizeObserver === 'undefined') return;
    const observer = new ResizeObserver(() => {
      if (!touchedRef.current) void flow.fitView({ ...FIT_OPTIONS, duration: 0 });
    });
    observer.observe(el);
    return () => observer.disconnect();
  }, [fitted, containerRef, touchedRef, flow]);
}

/**
 * Nodes with their screen-reader names. A node keeps its object while neither it nor its name
 * changed, so React Flow redraws only the nodes that moved (the collab binding keeps identity too).
 */
const namedCache = new WeakMap<object, { ariaLabel: string }>();

function useNamedNodes<N extends { id: string }>(nodes: readonly N[], names: ReadonlyMap<string, string>): (N & { ariaLabel: string })[] {
  return useMemo(
    () =>
      nodes.map((n) => {
        const ariaLabel = `${names.get(n.id) ?? 'Layer'} layer`;
        const old = namedCache.get(n) as (N & { ariaLabel: string }) | undefined;
        if (old && old.ariaLabel === ariaLabel) return old;
        const named = { ...n, ariaLabel };
        namedCache.set(n, named);
        return named;
      }),
    [nodes, names],
  );
}

function FlowCanvas({ session, awareness, readOnly, index, onDropLayer }: CanvasProps) {
  const { nodes, edges } = useCollabGraph(session.doc, session.local);
  const container = useRef<HTMLDivElement>(null);
  // Set once the person moves the view themselves (React Flow passes no event for programmatic moves).
  const touched = useRef(false);
  useFitOnceMeasured(session, nodes.length, container, touched);
  const peers = usePresence(awareness);
  const flow = useReactFlow();
  const cursor = useMemo(() => new CursorThrottle(awareness), [awareness]);
  useEffect(() => () => cursor.dispose(), [cursor]);
  const follow = useViewportFollow({ awareness, containerRef: container, touchedRef: touched, limits: ZOOM_LIMITS });
  const followed = follow.target ? peers.find((p) => p.clientId === follow.target!.clientId) : undefined;

  // Viewers still select and measure locally; nothing they do reaches the document.
  const onNodesChange = useCallback(
    (changes: NodeChange[]) => session.onNodesChange(readOnly ? changes.filter((c) => c.type === 'select' || c.type === 'dimensions') : changes),
    [session, readOnly],
  );

  const onPointerMove = (event: PointerEvent) => cursor.move(flow.screenToFlowPosition({ x: event.clientX, y: event.clientY }));

  const onDragOver = (event: DragEvent) => {
    if (readOnly || !isLayerDrag(event)) return;
    event.preventDefault(); // allows the drop
    event.dataTransfer.dropEffect = 'copy';
  };
  const onDrop = (event: DragEvent) => {
    const type = event.dataTransfer.getData(LAYER_DRAG_TYPE);
    if (readOnly || !type) return;
    event.preventDefault();
    onDropLayer(type, flow.screenToFlowPosition({ x: event.clientX, y: event.clientY }));
  };

  // Screen readers name layers and connections as people see them, never by id.
  const names = useLayerNames(session.doc);
  const colorMode = useThemeChoice();
  const namedNodes = useNamedNodes(nodes, names);
  const shapedEdges = useMemo(() => decorateEdges(edges, index).map((e) => ({ ...e, ariaLabel: connectionName(e.source, e.target, names) })), [edges, index, names]);
  const peerSelection = useMemo(() => peerSelectionMap(peers), [peers]);
  return (
    <ProblemIndexContext.Provider value={index}>
      <PeerSelectionContext.Provider value={peerSelection}>
        <div
          className="canvas"
          ref={container}
          onPointerMove={onPointerMove}
          onPointerLeave={() => cursor.move(null)}
          onDragOver={onDragOver}
          onDrop={onDrop}
          // The zoom buttons and the minimap move the view without an event: they stop following too.
          onPointerDownCapture={(event) => {
            if (follow.target && (event.target as Element).closest?.('.react-flow__controls, .react-flow__minimap')) follow.stop();
          }}
          tabIndex={-1}
          data-testid="canvas"
        >
          <ReactFlow
            nodes={namedNodes as never}
            edges={shapedEdges as never}
            nodeTypes={NODE_TYPES}
            edgeTypes={EDGE_TYPES}
            onNodesChange={onNodesChange}
            onEdgesChange={readOnly ? undefined : session.onEdgesChange}
            onConnect={readOnly ? undefined : session.onConnect}
            nodesDraggable={!readOnly}
            nodesConnectable={!readOnly}
            edgesReconnectable={false}
            deleteKeyCode={readOnly ? null : ['Delete', 'Backspace']}
            minZoom={ZOOM_LIMITS.minZoom}
            maxZoom={ZOOM_LIMITS.maxZoom}
            colorMode={colorMode}
            proOptions={{ hideAttribution: true }}
            onMoveStart={(event) => {
              if (event) touched.current = true;
              follow.onMoveStart(event);
            }}
            onMove={follow.onMove}
            aria-label="Model canvas"
          >
            <Background gap={16} />
            <Controls showInteractive={false} fitViewOptions={FIT_OPTIONS} />
            <MiniMap pannable zoomable ariaLabel="Mini map of the model" />
            <RemoteCursors peers={peers} />
          </ReactFlow>
          {follow.target ? (
            <div className="follow-banner" role="status" data-testid="follow-banner" style={{ borderColor: followed?.user.color, background: followed?.user.color }}>
              Following {followed?.user.name ?? 'a collaborator'} — Esc or pan to stop
            </div>
          ) : null}
          {nodes.length === 0 ? <CanvasEmptyState loading={false} readOnly={readOnly} /> : null}
        </div>
      </PeerSelectionContext.Provider>
    </ProblemIndexContext.Provider>
  );
}
