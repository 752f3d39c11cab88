'use client';

import type { Layout } from '@/collab/doc';
import type { Graph } from '@/compute/graph';
import { GraphPreview } from '../editor/GraphPreview';

/**
 * The product itself on the landing page: a real template drawn by the editor's own canvas (layer
 * nodes, inferred shapes), read-only; visitors can pan and zoom it. The wheel scrolls the page.
 */
export function LandingDemo({ graph, layout, name }: { graph: Graph; layout: Layout; name: string }) {
  return (
    <figure className="landing-demo">
      <div className="landing-demo-canvas">
        <GraphPreview graph={graph} layout={layout} label={`Live demo: the ${name} template in the editor, read-only`} zoomOnScroll={false} testId="landing-demo" />
      </div>
      <figcaption className="muted">The {name} template as the editor draws it, with each layer’s inferred output shape. Drag to look around.</figcaption>
    </figure>
  );
}
