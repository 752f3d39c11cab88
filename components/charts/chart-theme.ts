'use client';

import { useSyncExternalStore } from 'react';

/**
 * The theme the page shows now ('light' | 'dark'): html[data-theme] when the person chose one
 * (components/theme), otherwise the system's. Charts draw on a canvas, so they read the colours
 * themselves and redraw when this changes.
 */
function currentTheme(): 'light' | 'dark' {
  const chosen = document.documentElement.getAttribute('data-theme');
  if (chosen === 'light' || chosen === 'dark') return chosen;
  return window.matchMedia('(prefers-color-scheme: dark)').matches ? 'dark' : 'light';
}

function subscribe(changed: () => void): () => void {
  const observer = new MutationObserver(changed);
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme', 'class', 'style'] });
  const media = window.matchMedia('(prefers-color-scheme: dark)');
  media.addEventListener('change', changed);
  return () => {
    observer.disconnect();
    media.removeEventListener('change', changed);
  };
}

export function useChartTheme(): 'light' | 'dark' {
  return useSyncExternalStore(subscribe, currentTheme, () => 'light');
}

export interface ChartColors {
  readonly text: string;
  readonly muted: string;
  readonly border: string;
  /** A colour as given ('#2563eb', 'var(--chart-1)'), as the canvas can use it. */
  readonly resolve: (color: string) => string;
}

const VAR = /^var\(\s*(--[\w-]+)\s*(?:,\s*(.+))?\)$/;

/** The app's CSS variables as computed on `el` now (so a dark theme gives dark-theme values). */
export function readChartColors(el: Element): ChartColors {
  const style = getComputedStyle(el);
  const read = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  const resolve = (color: string): string => {
    const m = VAR.exec(color.trim());
    if (!m) return color;
    return read(m[1]!, m[2]?.trim() ?? '#888888');
  };
  return { text: read('--text', '#1b1f24'), muted: read('--muted', '#5b6470'), border: read('--border', '#d9dde3'), resolve };
}
