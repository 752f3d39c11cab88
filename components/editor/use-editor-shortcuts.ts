'use client';

import { useEffect, useEffectEvent, type RefObject } from 'react';
import { parseClipboard, type CanvasSession } from '@/collab/client';
import type { EditorActions } from './editor-actions';
import { isTyping } from './shortcuts';

const CLIPBOARD_KEY = 'cyxwiz-clipboard';

interface ShortcutOptions {
  /** The editor's root element: shortcuts apply while focus is inside it (or nowhere in particular). */
  root: RefObject<HTMLElement | null>;
  session: CanvasSession;
  actions: EditorActions;
  readOnly: boolean;
  openHelp: () => void;
  /** C: start wiring the selected layer from the keyboard (KeyboardConnect). */
  startConnect?: () => void;
}

/**
 * The editor's keyboard shortcuts (listed in shortcuts.ts for the help dialog). Delete and
 * Backspace are React Flow's own. Keys typed into a text field are left alone, and copy / paste
 * only act while focus is on the canvas, so copying text elsewhere keeps working.
 */
export function useEditorShortcuts(options: ShortcutOptions): void {
  // Installed once; an effect event always sees the latest options.
  const onKey = useEffectEvent((event: KeyboardEvent) => {
      const { root, session, actions, readOnly, openHelp, startConnect } = options;
      const active = document.activeElement;
      const inEditor = !!root.current && (root.current.contains(active) || active === document.body || active === null);
      if (!inEditor || isTyping(event.target) || event.defaultPrevented) return;
      const mod = event.ctrlKey || event.metaKey;
      const key = event.key.toLowerCase();
      const onCanvas = !!root.current?.querySelector('.canvas')?.contains(active);

      if (!mod && !event.altKey) {
        if (event.key === '?') openHelp();
        else if ((key === 'f' && !event.shiftKey) || (event.shiftKey && event.code === 'Digit1')) actions.fitView();
        else if (key === 'c' && !event.shiftKey && !readOnly && startConnect) startConnect();
        else return;
      } else if (mod && !event.altKey) {
        if (key === 'a') actions.selectAll();
        else if (key === 'z' && !event.shiftKey && !readOnly) actions.undo();
        else if (((key === 'z' && event.shiftKey) || key === 'y') && !readOnly) actions.redo();
        else if (key === 'c' && onCanvas) {
          const text = session.copyText();
          if (!text) return;
          void navigator.clipboard?.writeText(text).catch(() => undefined);
          sessionStorage.setItem(CLIPBOARD_KEY, text);
        } else if (key === 'v' && onCanvas && !readOnly) {
          const payload = parseClipboard(sessionStorage.getItem(CLIPBOARD_KEY) ?? '');
          if (!payload) return;
          session.paste(payload);
        } else return;
      } else return;
      event.preventDefault();
  });

  useEffect(() => {
    const listener = (event: KeyboardEvent) => onKey(event);
    window.addEventListener('keydown', listener);
    return () => window.removeEventListener('keydown', listener);
  }, []);
}
