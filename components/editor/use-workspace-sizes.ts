'use client';

import { useCallback, useEffect, useState } from 'react';
import { clampSize, DEFAULT_SIZES, parseSizes, storageKey, type PanelSize, type WorkspaceSizes } from './workspace-sizes';

/**
 * Panel sizes for this person, read from localStorage once their id is known and written back on
 * every change. Until then (and where storage is unavailable) the defaults apply.
 */
export function useWorkspaceSizes(userId: string | null) {
  const [sizes, setSizes] = useState<WorkspaceSizes>(DEFAULT_SIZES);
  const [loadedFor, setLoadedFor] = useState<string | null>(null);
  if (userId !== null && loadedFor !== userId && typeof window !== 'undefined') {
    // Adjusting state while rendering: the stored sizes arrive with the user's id.
    setLoadedFor(userId);
    setSizes(parseSizes(readStorage(storageKey(userId))));
  }
  useEffect(() => {
    if (loadedFor !== null) writeStorage(storageKey(loadedFor), JSON.stringify(sizes));
  }, [loadedFor, sizes]);

  const resize = useCallback((which: PanelSize, value: number) => setSizes((s) => ({ ...s, [which]: clampSize(which, value) })), []);
  const toggle = useCallback((which: 'paletteOpen' | 'inspectorOpen' | 'dockOpen' | 'dockEnlarged', open?: boolean) => setSizes((s) => ({ ...s, [which]: open ?? !s[which] })), []);
  return { sizes, resize, toggle };
}

function readStorage(key: string): string | null {
  try {
    return window.localStorage.getItem(key);
  } catch {
    return null;
  }
}

function writeStorage(key: string, value: string): void {
  try {
    window.localStorage.setItem(key, value);
  } catch {
    // Private mode or a full quota: the sizes just are not remembered.
  }
}
