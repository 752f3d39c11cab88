'use client';

import { Background, Controls, ReactFlow, ReactFlowProvider } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import { useMemo } from 'react';
import { docToFlow } from '@/collab/client';
import { createDocFromGraph, type Layout } from '@/collab/doc';
import type { Graph } from '@/compute/graph';
import { useThemeChoice } from '../theme/theme';
import { FIT_OPTIONS } from './editor-actions';
import { LayerNode } from './LayerNode';
import { useProblemIndex, ProblemIndexContext } from './validation-context';

const NODE_TYPES = { layer: LayerNode };

interface GraphPreviewProps {
  graph: Graph;
  layout: Layout;
  /** Names the canvas for screen readers, e.g. "Version “First draft”". */
  label: string;
  /** On a page that scrolls (the landing page) the wheel scrolls the page instead of zooming. */
  zoomOnScroll?: boolean;
  testId?: string;
}

/**
 * A graph drawn read-only, the way the editor draws it (same layer nodes, shapes and problems),
 * fitted to its box: pan and zoom, nothing to edit. Has its own React Flow store, so it can sit
 * inside the editor (a named version) or alone (the landing page).
 */
export function GraphPreview(props: GraphPreviewProps) {
  return (
    <ReactFlowProvider>
      <PreviewFlow {...props} />
    </ReactFlowProvider>
  );
}

function PreviewFlow({ graph, layout, label, zoomOnScroll = true, testId }: GraphPreviewProps) {
  // A private document: the same conversion and validation the live canvas uses, never synced.
  const doc = useMemo(() => createDocFromGraph(graph, { layout }), [graph, layout]);
  const index = useProblemIndex(doc);
  const { nodes, edges } = useMemo(() => docToFlow(doc), [doc]);
  const colorMode = useThemeChoice();
  return (
    <ProblemIndexContext.Provider value={index}>
      <div className="graph-preview" data-testid={testId}>
        <ReactFlow
          nodes={nodes as never}
          edges={edges as never}
          nodeTypes={NODE_TYPES}
          nodesDraggable={false}
          nodesConnectable={false}
          elementsSelectable={false}
          edgesFocusable={false}
          deleteKeyCode={null}
          zoomOnScroll={zoomOnScroll}
          preventScrolling={zoomOnScroll}
          fitView
          fitViewOptions={{ ...FIT_OPTIONS, duration: 0 }}
          minZoom={FIT_OPTIONS.minZoom}
          colorMode={colorMode}
          proOptions={{ hideAttribution: true }}
          aria-label={label}
        >
          <Background gap={16} />
          <Controls showInteractive={false} fitViewOptions={{ ...FIT_OPTIONS, duration: 0 }} />
        </ReactFlow>
      </div>
    </ProblemIndexContext.Provider>
  );
}
