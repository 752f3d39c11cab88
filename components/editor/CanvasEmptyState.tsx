'use client';

import Link from 'next/link';
import { Loading } from '../ui/Spinner';

/** What a blank canvas says: how to start, or that the document is still on its way. */
export function CanvasEmptyState({ loading, readOnly }: { loading: boolean; readOnly: boolean }) {
  return (
    <div className="canvas-empty" data-testid="canvas-empty">
      {loading ? (
        <Loading label="Loading the model…" />
      ) : readOnly ? (
        <p>This model has no layers yet.</p>
      ) : (
        <>
          <p className="canvas-empty-title">Drag a layer from the palette, or start from a template</p>
          <p className="muted">
            Click a layer to add it in the middle, or type its name in the search box and press Enter. Templates are on the{' '}
            <Link href="/models">Models page</Link>.
          </p>
        </>
      )}
    </div>
  );
}
