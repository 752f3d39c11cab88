'use client';

import type { BoundaryPlot } from './decision-plot';
import { CLASS_COLORS } from './RocChart';

const S = 240;

/** The class colour at `strength` over white, as an opaque colour: overlapping translucent cells would show seams. */
function tint(hex: string, strength: number): string {
  const mix = (i: number) => Math.round(255 - (255 - parseInt(hex.slice(i, i + 2), 16)) * strength);
  return `rgb(${mix(1)}, ${mix(3)}, ${mix(5)})`;
}

/**
 * The model's predicted class over the plane of two features, as TensorFlow Playground draws it:
 * each cell tinted by its class, paler where the model is unsure; the examples as dots on top.
 */
export function DecisionBoundaryPlot({ plot, names }: { plot: BoundaryPlot; names: readonly string[] }) {
  const { bounds, resolution } = plot;
  const cell = S / resolution;
  const sx = (x: number) => ((x - bounds.xMin) / (bounds.xMax - bounds.xMin)) * S;
  const sy = (y: number) => ((bounds.yMax - y) / (bounds.yMax - bounds.yMin)) * S;
  const color = (k: number) => CLASS_COLORS[k % CLASS_COLORS.length]!;
  const classes = [...new Set([...plot.predicted, ...plot.points.map((p) => p.label)])].sort((a, b) => a - b);
  // A guess among k classes is 1/k sure; that is where the shading starts.
  const floor = 1 / Math.max(2, names.length || classes.length);
  return (
    <figure className="line-chart decision-boundary" data-testid="decision-boundary">
      <figcaption>
        <span className="line-chart-title">Decision boundary</span>
      </figcaption>
      <svg viewBox={`0 0 ${S} ${S}`} role="img" aria-label={`Decision boundary over the two features, with ${plot.points.length} examples`} preserveAspectRatio="xMidYMid meet">
        <g shapeRendering="crispEdges">
          {plot.predicted.map((k, i) => {
            // Shade from "no better than a guess" (pale) to certain (strong).
            const sure = Math.max(0, (plot.confidence[i]! - floor) / (1 - floor));
            return <rect key={i} x={(i % resolution) * cell} y={Math.floor(i / resolution) * cell} width={cell + 0.3} height={cell + 0.3} fill={tint(color(k), 0.12 + 0.45 * sure)} />;
          })}
        </g>
        {plot.points.map((p, i) => (
          <circle key={i} cx={sx(p.x)} cy={sy(p.y)} r={2.4} fill={color(p.label)} stroke="#fff" strokeWidth={0.8} />
        ))}
      </svg>
      <ul className="legend">
        {classes.map((k) => (
          <li key={k}>
            <span className="swatch" style={{ borderColor: color(k) }} aria-hidden="true" />
            {names[k] ?? k}
          </li>
        ))}
      </ul>
      <p className="roc-summary">
        feature 1 across {bounds.xMin.toPrecision(3)} to {bounds.xMax.toPrecision(3)}, feature 2 up {bounds.yMin.toPrecision(3)} to {bounds.yMax.toPrecision(3)} (as the model sees them)
      </p>
    </figure>
  );
}
