/** A small line chart of the last values (no axes: the figure beside it says what it is). */
export function Sparkline({ values, label, width = 160, height = 32 }: { values: number[]; label: string; width?: number; height?: number }) {
  if (values.length === 0) return <span className="hint">no data yet</span>;
  const max = Math.max(...values, 1e-9);
  const step = values.length > 1 ? width / (values.length - 1) : 0;
  const points = values.map((v, i) => `${(i * step).toFixed(1)},${(height - (v / max) * (height - 2) - 1).toFixed(1)}`).join(' ');
  return (
    <svg width={width} height={height} role="img" aria-label={`${label}: latest ${values.at(-1)}, highest ${max}`} className="sparkline">
      <polyline points={points} fill="none" stroke="currentColor" strokeWidth="1.5" />
    </svg>
  );
}
