'use client';

import { useReactFlow } from '@xyflow/react';
import { useId, useMemo, useState, type KeyboardEvent } from 'react';
import { withSelection, type CanvasSession } from '@/collab/client';
import { keyboardConnection, wiringTargets, type WiringCandidate } from './keyboard-connect';
import { useLayerNames } from './use-layer-names';

interface KeyboardConnectProps {
  session: CanvasSession;
  /** The selected layer the connection starts from. */
  from: string;
  onClose: () => void;
}

/**
 * Wiring without a mouse: C on a selected layer opens this picker; typing filters the layers,
 * the arrow keys choose one, Enter connects and selects the target (so C again continues the
 * chain), Escape cancels.
 */
export function KeyboardConnect({ session, from, onClose }: KeyboardConnectProps) {
  const flow = useReactFlow();
  const names = useLayerNames(session.doc);
  const [search, setSearch] = useState('');
  const [active, setActive] = useState(0);
  const listId = useId();
  const layers = useMemo<WiringCandidate[]>(
    () => flow.getNodes().map((n) => ({ id: n.id, type: String((n.data as { layerType?: unknown }).layerType ?? ''), name: names.get(n.id) ?? n.id })),
    [flow, names],
  );
  const source = layers.find((l) => l.id === from);
  const targets = wiringTargets(from, layers, search);
  const chosen = targets[Math.min(active, targets.length - 1)];

  const connect = (target: WiringCandidate) => {
    if (!source) return onClose();
    const connection = keyboardConnection(source, target, flow.getEdges());
    if (connection) {
      session.undo.manager.stopCapturing();
      session.onConnect(connection);
      session.local.update((s) => withSelection(s, [target.id]));
    }
    onClose();
    requestAnimationFrame(() => document.querySelector<HTMLElement>(`.react-flow__node[data-id="${CSS.escape(target.id)}"]`)?.focus({ preventScroll: true }));
  };

  const onKeyDown = (event: KeyboardEvent) => {
    if (event.key === 'ArrowDown' || event.key === 'ArrowUp') {
      event.preventDefault();
      const step = event.key === 'ArrowDown' ? 1 : -1;
      setActive((i) => (targets.length === 0 ? 0 : (Math.min(i, targets.length - 1) + step + targets.length) % targets.length));
    } else if (event.key === 'Enter') {
      event.preventDefault();
      if (chosen) connect(chosen);
    } else if (event.key === 'Escape') {
      event.preventDefault();
      onClose();
    }
  };

  return (
    <div className="keyboard-connect" role="dialog" aria-label={`Connect ${source?.name ?? 'layer'} to…`} data-testid="keyboard-connect">
      <label>
        Connect <strong>{source?.name}</strong> to
        <input
          autoFocus
          value={search}
          onChange={(e) => {
            setSearch(e.target.value);
            setActive(0);
          }}
          onKeyDown={onKeyDown}
          onBlur={onClose}
          placeholder="Search layers"
          role="combobox"
          aria-expanded="true"
          aria-controls={listId}
          aria-activedescendant={chosen ? `${listId}-${chosen.id}` : undefined}
        />
      </label>
      <ul id={listId} role="listbox" aria-label="Layers to connect to">
        {targets.map((t) => (
          <li
            key={t.id}
            id={`${listId}-${t.id}`}
            role="option"
            aria-selected={t === chosen}
            className={t === chosen ? 'active' : undefined}
            onMouseDown={(e) => {
              e.preventDefault(); // keeps focus in the search box until the connection is made
              connect(t);
            }}
          >
            {t.name}
          </li>
        ))}
        {targets.length === 0 ? <li className="muted">No layer takes a connection{search ? ` matching “${search}”` : ''}</li> : null}
      </ul>
      <p className="hint">↑ ↓ choose · Enter connect · Esc cancel</p>
    </div>
  );
}
