'use client';

import type { CSSProperties, ReactNode } from 'react';
import { Splitter } from './Splitter';
import { useWorkspaceSizes } from './use-workspace-sizes';
import { SIZE_LIMITS } from './workspace-sizes';

interface EditorLayoutProps {
  palette: ReactNode;
  toolbar: ReactNode;
  canvas: ReactNode;
  /** The selected layer's properties, the problems list and the model's facts. */
  inspector: ReactNode;
  /** The bottom dock (its tabs and their content); see BottomDock. Receives the dock's own controls. */
  dock: (controls: DockControls) => ReactNode;
  /** Whose remembered panel sizes to use; null until known (defaults meanwhile). */
  userId: string | null;
}

export interface DockControls {
  readonly open: boolean;
  readonly enlarged: boolean;
  toggleOpen(): void;
  toggleEnlarged(): void;
  /** Opens the dock (e.g. a tab was chosen while it was hidden). */
  show(): void;
}

/**
 * The workspace grid: palette | toolbar over canvas | inspector, with the dock (training,
 * evaluation, runs, export) across the bottom. Each panel resizes with a drag handle (or the arrow
 * keys on it) and collapses to a slim bar; the dock can be enlarged to most of the height for
 * comparing runs. Every track has a floor of zero width, so a panel's content scrolls inside the
 * panel instead of pushing the page wider than the window.
 */
export function EditorLayout({ palette, toolbar, canvas, inspector, dock, userId }: EditorLayoutProps) {
  const { sizes, resize, toggle } = useWorkspaceSizes(userId);
  const style = {
    '--palette-width': `${sizes.paletteWidth}px`,
    '--inspector-width': `${sizes.inspectorWidth}px`,
    '--dock-height': `${sizes.dockHeight}px`,
  } as CSSProperties;
  const classes = [
    'editor-body',
    'workspace-grid',
    sizes.paletteOpen ? '' : 'palette-collapsed',
    sizes.inspectorOpen ? '' : 'inspector-collapsed',
    sizes.dockOpen ? (sizes.dockEnlarged ? 'dock-enlarged' : '') : 'dock-collapsed',
  ].filter(Boolean);
  const controls: DockControls = {
    open: sizes.dockOpen,
    enlarged: sizes.dockEnlarged,
    toggleOpen: () => toggle('dockOpen'),
    toggleEnlarged: () => {
      toggle('dockOpen', true);
      toggle('dockEnlarged');
    },
    show: () => toggle('dockOpen', true),
  };
  return (
    <div className={classes.join(' ')} style={style} data-testid="workspace">
      <div className="workspace-palette" data-testid="workspace-palette">
        {sizes.paletteOpen ? (
          <>
            <PanelBar label="Layers" open onToggle={() => toggle('paletteOpen')} side="left" />
            {palette}
          </>
        ) : (
          <PanelBar label="Layers" open={false} onToggle={() => toggle('paletteOpen')} side="left" />
        )}
      </div>
      {sizes.paletteOpen ? (
        <Splitter className="area-s1" label="Resize the layers palette" orientation="vertical" value={sizes.paletteWidth} {...SIZE_LIMITS.paletteWidth} direction={1} onResize={(v) => resize('paletteWidth', v)} />
      ) : (
        <span className="splitter-placeholder area-s1" />
      )}
      <div className="editor-main" data-testid="workspace-canvas">
        {toolbar}
        {canvas}
      </div>
      {sizes.inspectorOpen ? (
        <Splitter className="area-s2" label="Resize the inspector" orientation="vertical" value={sizes.inspectorWidth} {...SIZE_LIMITS.inspectorWidth} direction={-1} onResize={(v) => resize('inspectorWidth', v)} />
      ) : (
        <span className="splitter-placeholder area-s2" />
      )}
      <aside className="editor-side workspace-inspector" aria-label="Inspector" data-testid="workspace-inspector">
        <PanelBar label="Inspector" open={sizes.inspectorOpen} onToggle={() => toggle('inspectorOpen')} side="right" />
        {sizes.inspectorOpen ? <div className="workspace-inspector-body">{inspector}</div> : null}
      </aside>
      {sizes.dockOpen && !sizes.dockEnlarged ? (
        <Splitter className="area-sd" label="Resize the training dock" orientation="horizontal" value={sizes.dockHeight} {...SIZE_LIMITS.dockHeight} direction={-1} onResize={(v) => resize('dockHeight', v)} />
      ) : (
        <span className="splitter-placeholder area-sd" />
      )}
      <div className="workspace-dock" data-testid="workspace-dock">
        {dock(controls)}
      </div>
    </div>
  );
}

/** A panel's title strip with its collapse button; collapsed, the strip is all that is left (a slim bar). */
function PanelBar({ label, open, onToggle, side }: { label: string; open: boolean; onToggle: () => void; side: 'left' | 'right' }) {
  const arrow = open === (side === 'left') ? '‹' : '›';
  return (
    <div className={`panel-bar${open ? '' : ' collapsed'}`}>
      {open ? <span className="panel-bar-title">{label}</span> : null}
      <button type="button" className="panel-toggle" onClick={onToggle} aria-expanded={open} aria-label={open ? `Hide ${label.toLowerCase()}` : `Show ${label.toLowerCase()}`} title={open ? `Hide ${label.toLowerCase()}` : `Show ${label.toLowerCase()}`}>
        <span aria-hidden="true">{arrow}</span>
        {open ? null : <span className="panel-bar-vertical">{label}</span>}
      </button>
    </div>
  );
}
