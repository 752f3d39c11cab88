/** Every keyboard shortcut of the editor, as the help dialog lists them. Keep in sync with use-editor-shortcuts. */
export interface Shortcut {
  readonly keys: readonly (readonly string[])[];
  readonly action: string;
}

export const SHORTCUTS: readonly Shortcut[] = [
  { keys: [['Delete'], ['Backspace']], action: 'Delete the selected layers and connections' },
  { keys: [['Ctrl', 'Z']], action: 'Undo your last change' },
  { keys: [['Ctrl', 'Shift', 'Z'], ['Ctrl', 'Y']], action: 'Redo' },
  { keys: [['Ctrl', 'C']], action: 'Copy the selected layers' },
  { keys: [['Ctrl', 'V']], action: 'Paste' },
  { keys: [['Ctrl', 'A']], action: 'Select everything' },
  { keys: [['F'], ['Shift', '1']], action: 'Fit the whole model in view' },
  { keys: [['C']], action: 'Connect the selected layer: type to find the target, ↑ ↓ to choose, Enter to wire' },
  { keys: [['Shift', 'drag']], action: 'Select with a box' },
  { keys: [['?']], action: 'Show these shortcuts' },
  { keys: [['Esc']], action: 'Close this dialog' },
];

/** Cmd on a Mac, Ctrl elsewhere; decided at render time in the browser. */
export function modifierName(): string {
  return typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform) ? '⌘' : 'Ctrl';
}

export function isTyping(target: EventTarget | null): boolean {
  const el = target as HTMLElement | null;
  if (!el) return false;
  if (el.isContentEditable || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT') return true;
  if (el.tagName !== 'INPUT') return false;
  const type = (el as HTMLInputElement).type;
  return type !== 'checkbox' && type !== 'radio' && type !== 'button';
}
