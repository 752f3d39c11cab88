'use client';

import { Background, Controls, MiniMap, ReactFlow, useReactFlow, type NodeChange } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useCallback, useEffect, useMemo, useRef, type PointerEvent } from 'react';
import type { Awareness } from 'y-protocols/awareness';
import { CursorThrottle, parseClipboard, type CanvasSession } from '@/collab/client';
import { useCollabGraph, usePresence } from '@/collab/client/hooks';
import { LayerNode } from './LayerNode';
import { PeerSelectionContext, peerSelectionMap } from './peer-selection';
import { RemoteCursors } from './RemoteCursors';

const NODE_TYPES = { layer: LayerNode };

function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  return !!el && (el.tagName === 'INPUT' || el.tagName === 'TEXTAREA' || el.isContentEditable);
}

/** The shared canvas: the document drawn by React Flow, other people's cursors and selections on top. */
export function Canvas({ session, awareness, readOnly }: { session: CanvasSession; awareness: Awareness; readOnly: boolean }) {
  const { nodes, edges } = useCollabGraph(session.doc, session.local);
  const peers = usePresence(awareness);
  const flow = useReactFlow();
  const cursor = useMemo(() => new CursorThrottle(awareness), [awareness]);
  const wrapper = useRef<HTMLDivElement>(null);
  useEffect(() => () => cursor.dispose(), [cursor]);

  // Viewers still select and measure locally; nothing they do reaches the document.
  const onNodesChange = useCallback(
    (changes: NodeChange[]) => session.onNodesChange(readOnly ? changes.filter((c) => c.type === 'select' || c.type === 'dimensions') : changes),
    [session, readOnly],
  );

  const onPointerMove = (event: PointerEvent) => cursor.move(flow.screenToFlowPosition({ x: event.clientX, y: event.clientY }));

  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (isTyping(event.target) || !wrapper.current?.contains(document.activeElement ?? null)) return;
      const mod = event.ctrlKey || event.metaKey;
      if (!mod || readOnly) return;
      const key = event.key.toLowerCase();
      if (key === 'z' && !event.shiftKey) session.undo.undo();
      else if ((key === 'z' && event.shiftKey) || key === 'y') session.undo.redo();
      else if (key === 'c') {
        const text = session.copyText();
        if (text) void navigator.clipboard?.writeText(text).catch(() => undefined);
        sessionStorage.setItem('cyxwiz-clipboard', text ?? '');
      } else if (key === 'v') {
        const payload = parseClipboard(sessionStorage.getItem('cyxwiz-clipboard') ?? '');
        if (payload) session.paste(payload);
      } else return;
      event.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [session, readOnly]);

  const peerSelection = useMemo(() => peerSelectionMap(peers), [peers]);
  return (
    <PeerSelectionContext.Provider value={peerSelection}>
      <div className="canvas" ref={wrapper} onPointerMove={onPointerMove} onPointerLeave={() => cursor.move(null)} tabIndex={-1}>
        <ReactFlow
          nodes={nodes as never}
          edges={edges as never}
          nodeTypes={NODE_TYPES}
          onNodesChange={onNodesChange}
          onEdgesChange={readOnly ? undefined : session.onEdgesChange}
          onConnect={readOnly ? undefined : session.onConnect}
          nodesDraggable={!readOnly}
          nodesConnectable={!readOnly}
          edgesReconnectable={false}
          deleteKeyCode={readOnly ? null : ['Delete', 'Backspace']}
          fitView
          fitViewOptions={{ maxZoom: 1 }}
          proOptions={{ hideAttribution: true }}
        >
          <Background gap={16} />
          <Controls showInteractive={false} />
          <MiniMap pannable zoomable />
          <RemoteCursors peers={peers} />
        </ReactFlow>
      </div>
    </PeerSelectionContext.Provider>
  );
}
