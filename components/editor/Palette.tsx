'use client';

import { LAYER_CATEGORIES, layersInCategory, type LayerCategory } from '@/compute/layers';

const CATEGORY_NAMES: Record<LayerCategory, string> = {
  io: 'Inputs',
  core: 'Core',
  conv: 'Convolution',
  activation: 'Activations',
  normalization: 'Normalization',
  merge: 'Merge',
  loss: 'Losses',
};

/** The layer catalog by category; choosing one adds it to the middle of the canvas. */
export function Palette({ onAdd, disabled }: { onAdd: (type: string) => void; disabled: boolean }) {
  return (
    <nav className="palette" aria-label="Layers">
      {LAYER_CATEGORIES.map((category) => (
        <section key={category}>
          <h3>{CATEGORY_NAMES[category]}</h3>
          <ul>
            {layersInCategory(category).map((spec) => (
              <li key={spec.type}>
                <button type="button" className="palette-item" disabled={disabled} title={spec.description} onClick={() => onAdd(spec.type)}>
                  {spec.label}
                </button>
              </li>
            ))}
          </ul>
        </section>
      ))}
    </nav>
  );
}
