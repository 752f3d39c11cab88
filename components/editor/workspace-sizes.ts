/**
 * The editor workspace's panel sizes and what is collapsed: remembered per person (localStorage,
 * keyed by user id), clamped on the way in so a value saved on a large screen never hides the
 * canvas on a small one.
 */
export interface WorkspaceSizes {
  readonly paletteWidth: number;
  readonly inspectorWidth: number;
  readonly dockHeight: number;
  readonly paletteOpen: boolean;
  readonly inspectorOpen: boolean;
  readonly dockOpen: boolean;
  /** The dock enlarged to most of the window (comparing runs), the canvas kept as a strip above it. */
  readonly dockEnlarged: boolean;
}

export type PanelSize = 'paletteWidth' | 'inspectorWidth' | 'dockHeight';

export const DEFAULT_SIZES: WorkspaceSizes = {
  paletteWidth: 200,
  inspectorWidth: 300,
  dockHeight: 280,
  paletteOpen: true,
  inspectorOpen: true,
  dockOpen: true,
  dockEnlarged: false,
};

export const SIZE_LIMITS: Record<PanelSize, { readonly min: number; readonly max: number }> = {
  paletteWidth: { min: 150, max: 360 },
  inspectorWidth: { min: 240, max: 560 },
  dockHeight: { min: 140, max: 900 },
};

export function clampSize(which: PanelSize, value: number): number {
  const { min, max } = SIZE_LIMITS[which];
  return Math.round(Math.min(max, Math.max(min, Number.isFinite(value) ? value : DEFAULT_SIZES[which])));
}

export function storageKey(userId: string): string {
  return `cyxwiz.workspace.v1.${userId}`;
}

/** Reads what was stored; anything missing or malformed falls back to the default for that field. */
export function parseSizes(raw: string | null): WorkspaceSizes {
  let value: Record<string, unknown> = {};
  try {
    const parsed: unknown = raw ? JSON.parse(raw) : {};
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) value = parsed as Record<string, unknown>;
  } catch {
    // A corrupt entry is as good as none.
  }
  const size = (k: PanelSize) => (typeof value[k] === 'number' ? clampSize(k, value[k]) : DEFAULT_SIZES[k]);
  const flag = (k: 'paletteOpen' | 'inspectorOpen' | 'dockOpen' | 'dockEnlarged') => (typeof value[k] === 'boolean' ? value[k] : DEFAULT_SIZES[k]);
  return {
    paletteWidth: size('paletteWidth'),
    inspectorWidth: size('inspectorWidth'),
    dockHeight: size('dockHeight'),
    paletteOpen: flag('paletteOpen'),
    inspectorOpen: flag('inspectorOpen'),
    dockOpen: flag('dockOpen'),
    dockEnlarged: flag('dockEnlarged'),
  };
}
