'use client';

import type { KeyboardEvent, PointerEvent } from 'react';

interface SplitterProps {
  /** What the handle resizes, for screen readers ("Resize the palette"). */
  label: string;
  /** 'vertical' handles sit between columns and drag sideways; 'horizontal' ones drag up and down. */
  orientation: 'vertical' | 'horizontal';
  value: number;
  min: number;
  max: number;
  /** +1 when dragging right / down grows the panel, -1 when it shrinks it. */
  direction: 1 | -1;
  onResize: (value: number) => void;
  /** Extra class (its place in the workspace grid). */
  className?: string;
}

const KEY_STEP = 16;

/** A drag handle between two panels, also operable with the arrow keys (WAI-ARIA window splitter). */
export function Splitter({ label, orientation, value, min, max, direction, onResize, className }: SplitterProps) {
  const onPointerDown = (event: PointerEvent<HTMLDivElement>) => {
    if (event.button !== 0) return;
    event.preventDefault();
    const handle = event.currentTarget;
    handle.setPointerCapture(event.pointerId);
    const start = orientation === 'vertical' ? event.clientX : event.clientY;
    const from = value;
    const move = (e: globalThis.PointerEvent) => onResize(from + direction * ((orientation === 'vertical' ? e.clientX : e.clientY) - start));
    const end = () => {
      handle.removeEventListener('pointermove', move);
      handle.removeEventListener('pointerup', end);
      handle.removeEventListener('pointercancel', end);
    };
    handle.addEventListener('pointermove', move);
    handle.addEventListener('pointerup', end);
    handle.addEventListener('pointercancel', end);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const grow: Record<string, number> = orientation === 'vertical' ? { ArrowRight: 1, ArrowLeft: -1 } : { ArrowDown: 1, ArrowUp: -1 };
    const step = grow[event.key];
    if (step !== undefined) onResize(value + direction * step * KEY_STEP);
    else if (event.key === 'Home') onResize(min);
    else if (event.key === 'End') onResize(max);
    else return;
    event.preventDefault();
  };
  return (
    <div
      className={`splitter splitter-${orientation}${className ? ` ${className}` : ''}`}
      role="separator"
      aria-orientation={orientation}
      aria-label={label}
      aria-valuenow={value}
      aria-valuemin={min}
      aria-valuemax={max}
      tabIndex={0}
      onPointerDown={onPointerDown}
      onKeyDown={onKeyDown}
    />
  );
}
