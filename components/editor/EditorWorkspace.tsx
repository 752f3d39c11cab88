'use client';

import { useReactFlow } from '@xyflow/react';
import { useRef } from 'react';
import type { RoomStatus } from '@/collab/client';
import type { XY } from '@/collab/doc';
import { NetworkTrainingPanel } from '../training/NetworkTrainingPanel';
import { TrainingPanel } from '../training/TrainingPanel';
import { addLayer } from './add-layer';
import { Canvas } from './Canvas';
import { useEditorActions } from './editor-actions';
import { EditorLayout } from './EditorLayout';
import { EditorToolbar } from './EditorToolbar';
import { ModelFactsPanel } from './ModelFactsPanel';
import { Palette } from './Palette';
import { ProblemsPanel } from './ProblemsPanel';
import { PropertiesPanel } from './PropertiesPanel';
import { ShortcutsDialog } from './ShortcutsDialog';
import { useEditorShortcuts } from './use-editor-shortcuts';
import type { Room } from './use-room';
import { useSynced } from './use-synced';
import { useProblemIndex } from './validation-context';

interface EditorWorkspaceProps {
  modelId: string;
  room: Room;
  status: RoomStatus;
  readOnly: boolean;
}

/** Everything below the header: palette, toolbar and canvas, inspector, side panels. Lives inside a ReactFlowProvider. */
export function EditorWorkspace({ modelId, room, status, readOnly }: EditorWorkspaceProps) {
  const { session } = room;
  const flow = useReactFlow();
  const root = useRef<HTMLDivElement>(null);
  const help = useRef<HTMLDialogElement>(null);
  const index = useProblemIndex(room.doc);
  const synced = useSynced(room.connection);
  const actions = useEditorActions(session);
  const openHelp = () => {
    if (help.current && !help.current.open) help.current.showModal();
  };
  useEditorShortcuts({ root, session, actions, readOnly, openHelp });

  const taken = () => flow.getNodes().map((n) => n.position);
  const addAt = (type: string, at: XY) => void addLayer(session, type, at, taken());
  const addInView = (type: string) => {
    const canvas = root.current?.querySelector('.canvas')?.getBoundingClientRect();
    const center = canvas ? flow.screenToFlowPosition({ x: canvas.left + canvas.width / 2, y: canvas.top + canvas.height / 2 }) : { x: 0, y: 0 };
    addAt(type, center);
  };

  return (
    <div className="editor-workspace" ref={root} data-model-id={modelId}>
      <EditorLayout
        palette={<Palette onAdd={addInView} disabled={readOnly} />}
        toolbar={<EditorToolbar session={session} actions={actions} readOnly={readOnly} openHelp={openHelp} />}
        canvas={<Canvas session={session} awareness={room.awareness} readOnly={readOnly} index={index} loading={!synced && status === 'connecting'} onDropLayer={addAt} />}
        inspector={
          <>
            <PropertiesPanel session={session} index={index} readOnly={readOnly} />
            <ProblemsPanel index={index} onShow={actions.showProblem} />
            <ModelFactsPanel doc={room.doc} />
          </>
        }
        sidePanels={
          <>
            <TrainingPanel modelId={modelId} doc={room.doc} awareness={room.awareness} readOnly={readOnly} />
            <NetworkTrainingPanel modelId={modelId} readOnly={readOnly} />
          </>
        }
      />
      <ShortcutsDialog ref={help} />
    </div>
  );
}
