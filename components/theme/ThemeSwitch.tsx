'use client';

import { setThemeChoice, useThemeChoice, type ThemeChoice } from './theme';

/** Light, dark or the system's choice, remembered in this browser. */
export function ThemeSwitch() {
  const choice = useThemeChoice();
  return (
    <label className="theme-switch">
      <span className="visually-hidden">Colour theme</span>
      <select value={choice} onChange={(e) => setThemeChoice(e.target.value as ThemeChoice)} data-testid="theme-switch" aria-label="Colour theme">
        <option value="system">System theme</option>
        <option value="light">Light</option>
        <option value="dark">Dark</option>
      </select>
    </label>
  );
}
