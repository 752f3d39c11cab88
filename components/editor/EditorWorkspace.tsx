'use client';

import { useQuery } from '@tanstack/react-query';
import { useReactFlow } from '@xyflow/react';
import { useRef, useState } from 'react';
import type { RoomStatus } from '@/collab/client';
import type { XY } from '@/collab/doc';
import { NetworkTrainingPanel } from '../training/NetworkTrainingPanel';
import { TrainingPanel } from '../training/TrainingPanel';
import { useTRPC } from '../trpc/client';
import { addLayer, type Placement } from './add-layer';
import { DEFAULT_NODE_SIZE } from './auto-layout';
import { BottomDock, type DockTab } from './BottomDock';
import { Canvas } from './Canvas';
import { useEditorActions } from './editor-actions';
import { EditorLayout } from './EditorLayout';
import { EditorToolbar } from './EditorToolbar';
import { ModelFactsPanel } from './ModelFactsPanel';
import { Palette } from './Palette';
import { PhoneWorkspace } from './PhoneWorkspace';
import { ProblemsPanel } from './ProblemsPanel';
import { PropertiesPanel } from './PropertiesPanel';
import { KeyboardConnect } from './KeyboardConnect';
import { ShortcutsDialog } from './ShortcutsDialog';
import { PHONE_QUERY, useMediaQuery } from './use-media-query';
import { useEditorShortcuts } from './use-editor-shortcuts';
import type { Room } from './use-room';
import { useSynced } from './use-synced';
import { VersionsPanel } from './VersionsPanel';
import { useProblemIndex } from './validation-context';

interface EditorWorkspaceProps {
  modelId: string;
  room: Room;
  status: RoomStatus;
  readOnly: boolean;
}

/**
 * Everything below the header: palette | toolbar and canvas | inspector, the dock (train, evaluate,
 * runs, export) underneath; on a phone, the read-only view. Lives inside a ReactFlowProvider.
 */
export function EditorWorkspace({ modelId, room, status, readOnly: roleReadOnly }: EditorWorkspaceProps) {
  const { session } = room;
  const trpc = useTRPC();
  const me = useQuery(trpc.account.me.queryOptions());
  const phone = useMediaQuery(PHONE_QUERY);
  const readOnly = roleReadOnly || phone;
  const flow = useReactFlow();
  const root = useRef<HTMLDivElement>(null);
  const help = useRef<HTMLDialogElement>(null);
  const [tab, setTab] = useState<DockTab>('train');
  const index = useProblemIndex(room.doc);
  const synced = useSynced(room.connection);
  const actions = useEditorActions(session);
  const openHelp = () => {
    if (help.current && !help.current.open) help.current.showModal();
  };
  const [wiringFrom, setWiringFrom] = useState<string | null>(null);
  const startConnect = () => {
    const selected = flow.getNodes().filter((n) => n.selected);
    if (selected.length === 1) setWiringFrom(selected[0]!.id);
  };
  useEditorShortcuts({ root, session, actions, readOnly, openHelp, startConnect });

  const footprints = () => flow.getNodes().map((n) => ({ ...n.position, width: n.measured?.width ?? DEFAULT_NODE_SIZE.width, height: n.measured?.height ?? DEFAULT_NODE_SIZE.height }));
  const add = (type: string, placement: Placement) => {
    addLayer(session, type, placement, footprints());
  };
  const addAt = (type: string, at: XY) => add(type, { at });
  /** Palette click / Enter: after the one selected layer (wired to it), else in the middle of the view. */
  const addFromPalette = (type: string) => {
    const selected = flow.getNodes().filter((n) => n.selected);
    if (selected.length === 1) {
      const n = selected[0]!;
      const layerType = (n.data as { layerType?: unknown }).layerType;
      if (typeof layerType === 'string') {
        add(type, { after: { id: n.id, type: layerType, ...n.position, width: n.measured?.width ?? DEFAULT_NODE_SIZE.width, height: n.measured?.height ?? DEFAULT_NODE_SIZE.height } });
        return;
      }
    }
    const canvas = root.current?.querySelector('.canvas')?.getBoundingClientRect();
    addAt(type, canvas ? flow.screenToFlowPosition({ x: canvas.left + canvas.width / 2, y: canvas.top + canvas.height / 2 }) : { x: 0, y: 0 });
  };

  const canvas = <Canvas session={session} awareness={room.awareness} readOnly={readOnly} index={index} loading={!synced && status === 'connecting'} onDropLayer={addAt} />;
  if (phone) {
    return (
      <div className="editor-workspace" ref={root} data-model-id={modelId}>
        <PhoneWorkspace modelId={modelId} canvas={canvas} index={index} />
      </div>
    );
  }
  return (
    <div className="editor-workspace" ref={root} data-model-id={modelId}>
      <EditorLayout
        userId={me.data?.id ?? null}
        palette={<Palette onAdd={addFromPalette} disabled={readOnly} />}
        toolbar={<EditorToolbar session={session} actions={actions} readOnly={readOnly} openHelp={openHelp} />}
        canvas={canvas}
        inspector={
          <>
            <PropertiesPanel session={session} index={index} readOnly={readOnly} />
            <ProblemsPanel index={index} onShow={actions.showProblem} />
            <ModelFactsPanel doc={room.doc} />
            <VersionsPanel modelId={modelId} readOnly={readOnly} userId={me.data?.id ?? null} />
          </>
        }
        dock={(controls) => (
          <BottomDock tab={tab} onTab={setTab} controls={controls}>
            <div className={`dock-content dock-content-${tab}`}>
              <TrainingPanel modelId={modelId} doc={room.doc} awareness={room.awareness} readOnly={readOnly} view={tab} onView={(v) => { setTab(v); controls.show(); }} />
              {/* Kept mounted on every tab (hidden off Train), so a half-filled quote survives a look at Runs. */}
              <div className="dock-network" hidden={tab !== 'train'}>
                <NetworkTrainingPanel modelId={modelId} readOnly={readOnly} />
              </div>
            </div>
          </BottomDock>
        )}
      />
      {wiringFrom ? <KeyboardConnect session={session} from={wiringFrom} onClose={() => setWiringFrom(null)} /> : null}
      <ShortcutsDialog ref={help} />
    </div>
  );
}
