'use client';

import { ChartFigure } from './ChartFigure';
import type { RocReport } from '@/compute/eval';

/** Ten distinguishable hues (matplotlib's tab10), one per class curve. */
export const CLASS_COLORS = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

const S = 220;
const PAD = { left: 34, right: 8, top: 8, bottom: 30 };
const TICKS = [0, 0.2, 0.4, 0.6, 0.8, 1];
const auc = (a: number | null) => (a === null ? 'n/a' : a.toFixed(3));

/**
 * ROC curves as a square hand-written SVG (false positive rate across, true positive rate up), the
 * chance diagonal dashed; the legend gives each curve's AUC, and a toggle shows them as a table.
 */
export function RocChart({ roc, names }: { roc: RocReport; names: readonly string[] }) {
  const name = (k: number) => names[k] ?? String(k);
  const sx = (x: number) => PAD.left + x * (S - PAD.left - PAD.right);
  const sy = (y: number) => S - PAD.bottom - y * (S - PAD.top - PAD.bottom);
  const title = roc.mode === 'binary' ? `ROC curve: ${name(1)} against ${name(0)}` : 'ROC curves, one class against the rest';
  const summary =
    roc.macroAuc === null
      ? 'AUC is undefined: the examples hold only one class.'
      : roc.mode === 'binary'
        ? `AUC ${auc(roc.macroAuc)}.`
        : `Macro AUC ${auc(roc.macroAuc)} over ${roc.averagedClasses} of ${roc.curves.length} classes.`;
  return (
    <ChartFigure
      title={title}
      description={summary}
      width={S}
      height={S}
      className="line-chart roc-chart"
      testId="roc-chart"
      tableName="AUC table"
      footer={
        <>
          <ul className="legend">
            {roc.curves.map((c) => (
              <li key={c.positiveClass}>
                <span className="swatch" style={{ borderColor: CLASS_COLORS[c.positiveClass % CLASS_COLORS.length] }} aria-hidden="true" />
                {name(c.positiveClass)} (AUC {auc(c.auc)})
              </li>
            ))}
          </ul>
          <p className="roc-summary">{summary}</p>
        </>
      }
      table={
        <table className="data-table">
          <caption className="visually-hidden">AUC per class</caption>
          <thead>
            <tr>
              <th scope="col">positive class</th>
              <th scope="col">AUC</th>
              <th scope="col">positives</th>
              <th scope="col">negatives</th>
            </tr>
          </thead>
          <tbody>
            {roc.curves.map((c) => (
              <tr key={c.positiveClass}>
                <th scope="row">{name(c.positiveClass)}</th>
                <td>{auc(c.auc)}</td>
                <td>{c.positives}</td>
                <td>{c.negatives}</td>
              </tr>
            ))}
          </tbody>
        </table>
      }
    >
      {TICKS.map((t) => (
        <g key={t}>
          <line x1={sx(0)} x2={sx(1)} y1={sy(t)} y2={sy(t)} className="grid" />
          <text x={sx(0) - 4} y={sy(t) + 3} textAnchor="end" className="tick">
            {t}
          </text>
          <text x={sx(t)} y={S - PAD.bottom + 11} textAnchor="middle" className="tick">
            {t}
          </text>
        </g>
      ))}
      <text x={(sx(0) + sx(1)) / 2} y={S - 4} textAnchor="middle" className="axis-label">
        false positive rate
      </text>
      <text transform={`translate(9 ${(sy(0) + sy(1)) / 2}) rotate(-90)`} textAnchor="middle" className="axis-label">
        true positive rate
      </text>
      <line x1={sx(0)} y1={sy(0)} x2={sx(1)} y2={sy(1)} stroke="currentColor" strokeOpacity={0.35} strokeDasharray="4 3" />
      {roc.curves.map((c) =>
        c.points.length > 0 ? (
          <polyline
            key={c.positiveClass}
            fill="none"
            stroke={CLASS_COLORS[c.positiveClass % CLASS_COLORS.length]}
            strokeWidth={1.6}
            points={c.points.map((p) => `${sx(p.fpr).toFixed(1)},${sy(p.tpr).toFixed(1)}`).join(' ')}
          />
        ) : null,
      )}
    </ChartFigure>
  );
}
