'use client';

import type { CanvasSession } from '@/collab/client';
import { useUndoState } from '@/collab/client/hooks';
import type { EditorActions } from './editor-actions';
import { modifierName } from './shortcuts';

interface EditorToolbarProps {
  session: CanvasSession;
  actions: EditorActions;
  readOnly: boolean;
  openHelp: () => void;
}

/** Buttons for what the keyboard shortcuts do, so every command is also one click (and one Tab) away. */
export function EditorToolbar({ session, actions, readOnly, openHelp }: EditorToolbarProps) {
  const { canUndo, canRedo } = useUndoState(session.undo);
  const mod = modifierName();
  return (
    <div className="editor-toolbar" role="toolbar" aria-label="Canvas tools">
      <button type="button" className="tool-button" onClick={actions.undo} disabled={readOnly || !canUndo} title={`Undo (${mod}+Z)`}>
        Undo
      </button>
      <button type="button" className="tool-button" onClick={actions.redo} disabled={readOnly || !canRedo} title={`Redo (${mod}+Shift+Z)`}>
        Redo
      </button>
      <span className="tool-separator" aria-hidden="true" />
      <button type="button" className="tool-button" onClick={actions.fitView} title="Fit view (F)">
        Fit view
      </button>
      <button type="button" className="tool-button" onClick={() => void actions.autoLayout()} disabled={readOnly} title="Arrange layers left to right by depth, wrapping long chains (L)">
        Auto layout
      </button>
      <span className="tool-separator" aria-hidden="true" />
      <button type="button" className="tool-button" onClick={openHelp} aria-haspopup="dialog" title="Keyboard shortcuts (?)">
        Shortcuts
      </button>
    </div>
  );
}
