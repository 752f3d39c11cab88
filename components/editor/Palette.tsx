'use client';

import { useId, useState, type KeyboardEvent } from 'react';
import { startLayerDrag } from './layer-drag';
import { bestMatch, CATEGORY_NAMES, filterPalette } from './palette-search';

interface PaletteProps {
  /** Adds a layer of this type where the user is looking. */
  onAdd: (type: string) => void;
  disabled: boolean;
}

/** Moves focus between palette buttons with the arrow keys, so the list is one tab stop away from anywhere. */
function onArrowKeys(event: KeyboardEvent<HTMLElement>) {
  if (event.key !== 'ArrowDown' && event.key !== 'ArrowUp') return;
  const items = [...event.currentTarget.querySelectorAll<HTMLElement>('.palette-item:not(:disabled)')];
  if (items.length === 0) return;
  const at = items.indexOf(document.activeElement as HTMLElement);
  const next = event.key === 'ArrowDown' ? (at < 0 ? 0 : Math.min(at + 1, items.length - 1)) : at <= 0 ? -1 : at - 1;
  event.preventDefault();
  if (next < 0) event.currentTarget.querySelector<HTMLElement>('input[type="search"]')?.focus();
  else items[next]!.focus();
}

/**
 * The layer catalog by category, with a search box. A layer can be dragged onto the canvas (it
 * lands where it is dropped) or clicked / chosen with Enter (it lands in the middle of the view).
 */
export function Palette({ onAdd, disabled }: PaletteProps) {
  const [query, setQuery] = useState('');
  const searchId = useId();
  const hintId = useId();
  const groups = filterPalette(query);
  const next = bestMatch(query);
  return (
    <nav className="palette" aria-label="Layers" onKeyDown={onArrowKeys}>
      <div className="palette-search">
        <label htmlFor={searchId} className="visually-hidden">
          Search layers
        </label>
        <input
          id={searchId}
          type="search"
          placeholder="Search layers…"
          value={query}
          aria-describedby={hintId}
          onChange={(e) => setQuery(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && next && !disabled) {
              e.preventDefault();
              onAdd(next.type);
              setQuery('');
            } else if (e.key === 'Escape') setQuery('');
          }}
        />
        <p id={hintId} className="hint palette-hint">
          {disabled ? 'Viewers cannot add layers' : next ? `Enter adds ${next.label}` : 'Drag a layer onto the canvas, or double-click it'}
        </p>
      </div>
      {groups.length === 0 ? <p className="muted palette-empty">No layer matches “{query}”.</p> : null}
      {groups.map(({ category, layers }) => (
        <section key={category} aria-labelledby={`${searchId}-${category}`}>
          <h3 id={`${searchId}-${category}`}>{CATEGORY_NAMES[category]}</h3>
          <ul>
            {layers.map((spec) => (
              <li key={spec.type}>
                <button
                  type="button"
                  className={`palette-item${next?.type === spec.type ? ' next' : ''}`}
                  disabled={disabled}
                  draggable={!disabled}
                  title={spec.description}
                  data-layer-type={spec.type}
                  onDragStart={(e) => startLayerDrag(e, spec.type)}
                  // Keyboard activation (Enter / Space) arrives as a click with detail 0; with the mouse a
                  // double-click adds, so a stray single click never drops a layer.
                  onClick={(e) => {
                    if (e.detail === 0) onAdd(spec.type);
                  }}
                  onDoubleClick={() => onAdd(spec.type)}
                >
                  {spec.label}
                </button>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </nav>
  );
}
