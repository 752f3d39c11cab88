'use client';

import { useSyncExternalStore } from 'react';

/** What the person chose in the shell's switch; 'system' follows the operating system. */
export type ThemeChoice = 'light' | 'dark' | 'system';

export const THEME_KEY = 'cyxwiz-theme';
const CHANGED = 'cyxwiz-theme-change';

function isChoice(value: unknown): value is ThemeChoice {
  return value === 'light' || value === 'dark' || value === 'system';
}

export function readThemeChoice(): ThemeChoice {
  if (typeof localStorage === 'undefined') return 'system';
  const stored = localStorage.getItem(THEME_KEY);
  return isChoice(stored) ? stored : 'system';
}

/** Remembers the choice and applies it to the page (globals.css reads html[data-theme]). */
export function setThemeChoice(choice: ThemeChoice): void {
  localStorage.setItem(THEME_KEY, choice);
  applyThemeChoice(choice);
  window.dispatchEvent(new Event(CHANGED));
}

export function applyThemeChoice(choice: ThemeChoice): void {
  if (choice === 'system') document.documentElement.removeAttribute('data-theme');
  else document.documentElement.setAttribute('data-theme', choice);
}

function subscribe(changed: () => void): () => void {
  window.addEventListener(CHANGED, changed);
  window.addEventListener('storage', changed);
  return () => {
    window.removeEventListener(CHANGED, changed);
    window.removeEventListener('storage', changed);
  };
}

/** The live choice; React Flow takes it as its colorMode ('system' included). */
export function useThemeChoice(): ThemeChoice {
  return useSyncExternalStore(subscribe, readThemeChoice, () => 'system');
}

/**
 * Runs before the page paints (inline in the root layout), so a remembered dark theme never
 * flashes light first.
 */
export const THEME_BOOT_SCRIPT = `try{var t=localStorage.getItem('${THEME_KEY}');if(t==='light'||t==='dark')document.documentElement.setAttribute('data-theme',t)}catch(e){}`;
