'use client';

import { useId, type KeyboardEvent, type ReactNode } from 'react';
import type { DockControls } from './EditorLayout';

export type DockTab = 'train' | 'evaluate' | 'runs' | 'export';

export const DOCK_TABS: readonly { readonly id: DockTab; readonly label: string }[] = [
  { id: 'train', label: 'Train' },
  { id: 'evaluate', label: 'Evaluate' },
  { id: 'runs', label: 'Runs' },
  { id: 'export', label: 'Export' },
];

interface BottomDockProps {
  tab: DockTab;
  onTab: (tab: DockTab) => void;
  controls: DockControls;
  /** The content, given the current tab; one element for all tabs, so switching keeps its state. */
  children: ReactNode;
}

/** The bottom dock: tabs for Train / Evaluate / Runs / Export, and buttons to enlarge or hide it. */
export function BottomDock({ tab, onTab, controls, children }: BottomDockProps) {
  const id = useId();
  const choose = (next: DockTab) => {
    onTab(next);
    controls.show();
  };
  // Arrow keys move between tabs (WAI-ARIA tabs pattern, automatic activation).
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const at = DOCK_TABS.findIndex((t) => t.id === tab);
    const step = event.key === 'ArrowRight' ? 1 : event.key === 'ArrowLeft' ? -1 : 0;
    if (step === 0) return;
    event.preventDefault();
    const next = DOCK_TABS[(at + step + DOCK_TABS.length) % DOCK_TABS.length]!;
    choose(next.id);
    document.getElementById(`${id}-tab-${next.id}`)?.focus();
  };
  return (
    <section className="dock" aria-label="Training dock">
      <div className="dock-bar">
        <div role="tablist" aria-label="Training dock" className="dock-tabs" onKeyDown={onKeyDown}>
          {DOCK_TABS.map((t) => (
            <button
              key={t.id}
              id={`${id}-tab-${t.id}`}
              type="button"
              role="tab"
              aria-selected={t.id === tab}
              aria-controls={`${id}-panel`}
              tabIndex={t.id === tab ? 0 : -1}
              className={`dock-tab${t.id === tab ? ' active' : ''}`}
              onClick={() => choose(t.id)}
            >
              {t.label}
            </button>
          ))}
        </div>
        <div className="dock-actions">
          <button type="button" className="tool-button" onClick={controls.toggleEnlarged} aria-pressed={controls.enlarged && controls.open} title={controls.enlarged ? 'Give the canvas its space back' : 'Enlarge the dock (to compare runs)'}>
            {controls.enlarged && controls.open ? 'Restore' : 'Enlarge'}
          </button>
          <button type="button" className="tool-button" onClick={controls.toggleOpen} aria-expanded={controls.open} title={controls.open ? 'Hide the dock' : 'Show the dock'}>
            {controls.open ? 'Hide' : 'Show'}
          </button>
        </div>
      </div>
      <div id={`${id}-panel`} role="tabpanel" aria-labelledby={`${id}-tab-${tab}`} className="dock-panel" hidden={!controls.open} data-testid="dock-panel">
        {children}
      </div>
    </section>
  );
}
