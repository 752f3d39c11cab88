import { describe, expect, it } from 'vitest';
import { clampSize, DEFAULT_SIZES, parseSizes, SIZE_LIMITS, storageKey } from './workspace-sizes';

describe('workspace sizes', () => {
  it('round-trips what was stored', () => {
    const sizes = { ...DEFAULT_SIZES, paletteWidth: 240, dockHeight: 400, inspectorOpen: false, dockEnlarged: true };
    expect(parseSizes(JSON.stringify(sizes))).toEqual(sizes);
  });

  it('falls back field by field on missing, malformed or corrupt entries', () => {
    expect(parseSizes(null)).toEqual(DEFAULT_SIZES);
    expect(parseSizes('{not json')).toEqual(DEFAULT_SIZES);
    expect(parseSizes('[1,2]')).toEqual(DEFAULT_SIZES);
    expect(parseSizes(JSON.stringify({ paletteWidth: 'wide', dockOpen: 'yes', inspectorWidth: 320 }))).toEqual({ ...DEFAULT_SIZES, inspectorWidth: 320 });
  });

  it('clamps sizes so a panel can neither vanish nor swallow the canvas', () => {
    expect(parseSizes(JSON.stringify({ paletteWidth: 5, inspectorWidth: 5000 }))).toMatchObject({ paletteWidth: SIZE_LIMITS.paletteWidth.min, inspectorWidth: SIZE_LIMITS.inspectorWidth.max });
    expect(clampSize('dockHeight', Number.NaN)).toBe(DEFAULT_SIZES.dockHeight);
  });

  it('keys the entry by person', () => {
    expect(storageKey('a')).not.toBe(storageKey('b'));
  });
});
