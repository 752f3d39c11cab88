import type { ReactNode } from 'react';

interface EditorLayoutProps {
  palette: ReactNode;
  toolbar: ReactNode;
  canvas: ReactNode;
  /** The selected layer's properties and the problems list. */
  inspector: ReactNode;
  /**
   * Further panels in the right-hand column, below the inspector (the training panel mounts
   * here). Nothing is rendered for it when empty.
   */
  sidePanels?: ReactNode;
}

/** The editor's regions: palette | toolbar over canvas | inspector and side panels. */
export function EditorLayout({ palette, toolbar, canvas, inspector, sidePanels }: EditorLayoutProps) {
  return (
    <div className="editor-body">
      {palette}
      <div className="editor-main">
        {toolbar}
        {canvas}
      </div>
      <aside className="editor-side" aria-label="Inspector">
        {inspector}
        {sidePanels ? <div className="editor-side-panels">{sidePanels}</div> : null}
      </aside>
    </div>
  );
}
