'use client';

import { ChartFigure } from './ChartFigure';

export interface ChartSeries {
  readonly name: string;
  readonly color: string;
  readonly points: readonly (readonly [number, number])[];
  readonly dashed?: boolean;
}

interface LineChartProps {
  readonly title: string;
  readonly description: string;
  readonly xLabel: string;
  readonly series: readonly ChartSeries[];
  /** Fixed y range (e.g. [0, 1] for accuracy); otherwise fitted to the data. */
  readonly yDomain?: readonly [number, number];
  readonly formatY?: (y: number) => string;
  readonly testId?: string;
}

const W = 360;
const H = 180;
const PAD = { left: 44, right: 10, top: 10, bottom: 28 };

function niceTicks(min: number, max: number, count: number): number[] {
  if (!(max > min)) return [min];
  const raw = (max - min) / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? raw;
  const ticks: number[] = [];
  for (let t = Math.ceil(min / step) * step; t <= max + step * 1e-9; t += step) ticks.push(Number(t.toPrecision(12)));
  return ticks;
}

const defaultFormat = (y: number) => (Math.abs(y) >= 100 ? y.toFixed(0) : Math.abs(y) >= 1 ? y.toFixed(2) : y.toFixed(3));

/**
 * A small hand-written SVG line chart: no chart library, accessible through role="img" with a
 * title and description, and a toggle that shows the same numbers as a table.
 */
export function LineChart({ title, description, xLabel, series, yDomain, formatY = defaultFormat, testId }: LineChartProps) {
  const all = series.flatMap((s) => s.points);
  const xs = all.map((p) => p[0]);
  const ys = all.map((p) => p[1]);
  const xMin = xs.length ? Math.min(...xs) : 0;
  const xMax = xs.length ? Math.max(...xs) : 1;
  let [yMin, yMax] = yDomain ?? [ys.length ? Math.min(...ys) : 0, ys.length ? Math.max(...ys) : 1];
  if (!(yMax > yMin)) [yMin, yMax] = [yMin - 0.5, yMax + 0.5];
  const sx = (x: number) => PAD.left + ((x - xMin) / (xMax - xMin || 1)) * (W - PAD.left - PAD.right);
  const sy = (y: number) => H - PAD.bottom - ((y - yMin) / (yMax - yMin)) * (H - PAD.top - PAD.bottom);
  const yTicks = niceTicks(yMin, yMax, 4);
  const xTicks = niceTicks(xMin, xMax, 5);
  const rows = [...new Set(xs)].sort((a, b) => a - b);

  return (
    <ChartFigure
      title={title}
      description={description}
      width={W}
      height={H}
      testId={testId}
      tableName="data table"
      footer={
        <ul className="legend">
          {series.map((s) => (
            <li key={s.name}>
              <span className={s.dashed ? 'swatch dashed' : 'swatch'} style={{ borderColor: s.color }} aria-hidden="true" />
              {s.name}
            </li>
          ))}
        </ul>
      }
      table={
        <table className="data-table">
          <caption className="visually-hidden">{title}</caption>
          <thead>
            <tr>
              <th scope="col">{xLabel}</th>
              {series.map((s) => (
                <th key={s.name} scope="col">
                  {s.name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((x) => (
              <tr key={x}>
                <th scope="row">{x}</th>
                {series.map((s) => {
                  const p = s.points.find((q) => q[0] === x);
                  return <td key={s.name}>{p ? formatY(p[1]) : '—'}</td>;
                })}
              </tr>
            ))}
          </tbody>
        </table>
      }
    >
      {yTicks.map((t) => (
        <g key={`y${t}`}>
          <line x1={PAD.left} x2={W - PAD.right} y1={sy(t)} y2={sy(t)} className="grid" />
          <text x={PAD.left - 4} y={sy(t) + 3} textAnchor="end" className="tick">
            {formatY(t)}
          </text>
        </g>
      ))}
      {xTicks.map((t) => (
        <text key={`x${t}`} x={sx(t)} y={H - PAD.bottom + 12} textAnchor="middle" className="tick">
          {t}
        </text>
      ))}
      <text x={(PAD.left + W - PAD.right) / 2} y={H - 4} textAnchor="middle" className="axis-label">
        {xLabel}
      </text>
      {series.map((s) =>
        s.points.length === 1 ? (
          <circle key={s.name} cx={sx(s.points[0]![0])} cy={sy(s.points[0]![1])} r={3} fill={s.color} />
        ) : (
          <polyline
            key={s.name}
            fill="none"
            stroke={s.color}
            strokeWidth={1.8}
            strokeDasharray={s.dashed ? '5 3' : undefined}
            points={s.points.map(([x, y]) => `${sx(x).toFixed(1)},${sy(Math.min(yMax, Math.max(yMin, y))).toFixed(1)}`).join(' ')}
          />
        ),
      )}
    </ChartFigure>
  );
}
