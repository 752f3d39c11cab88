'use client';

import 'uplot/dist/uPlot.min.css';
import uPlot from 'uplot';
import { useEffect, useMemo, useRef, useState } from 'react';
import { ChartFrame } from '../training/ChartFigure';
import { buildChartData, canShowEpochs, clampSmoothing, formatLogTick, formatNumber, formatX, MAX_SMOOTHING, readoutAt, readoutText, tableRows, type ChartData, type SeriesInput, type XUnit, type YScale } from './chart-data';
import { readChartColors, useChartTheme } from './chart-theme';

export interface MetricSeries extends SeriesInput {
  readonly name: string;
  /** A CSS colour or a variable (CHART_COLORS), read when the plot is drawn. */
  readonly color: string;
  readonly dashed?: boolean;
}

interface MetricChartProps {
  readonly title: string;
  /** What the chart shows, in words: the plot's accessible name, after the title. */
  readonly description: string;
  /** x values are optimizer steps unless xLabel names another unit (then no epoch axis is offered). */
  readonly series: readonly MetricSeries[];
  /** Steps in one epoch, for the epochs axis; a series may bring its own (runs compared). */
  readonly stepsPerEpoch?: number | null;
  /** The x unit shown first; the person can switch when epochs can be worked out. */
  readonly defaultXUnit?: XUnit;
  /** The x axis's name when x is not a step (e.g. seconds): fixes the unit. */
  readonly xLabel?: string;
  readonly defaultSmoothing?: number;
  /** Fixed y range on the linear scale (e.g. [0, 1] for accuracy); otherwise fitted to the data. */
  readonly yDomain?: readonly [number, number];
  readonly formatY?: (y: number) => string;
  readonly testId?: string;
}

interface Shape {
  readonly series: readonly { readonly name: string; readonly color: string; readonly dashed: boolean }[];
  readonly xName: string;
  readonly unit: XUnit;
  readonly scale: YScale;
  readonly yDomain: readonly [number, number] | null;
  readonly theme: string;
}

const WHOLE_INCREMENTS = [1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1_000, 2_000, 2_500, 5_000, 10_000, 20_000, 50_000, 100_000, 200_000, 500_000, 1_000_000];
const FONT = '11px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
const plotHeight = (width: number) => Math.round(Math.min(220, Math.max(150, width * 0.5)));

/**
 * The one chart for training metrics (in-tab training, saved runs and their comparison, network
 * jobs, the phone view): uPlot on a canvas, sized to its container, fed new data in place while a
 * run trains. Hover read-out in the legend, TensorBoard smoothing, linear or log scale, steps or
 * epochs on the x axis, and the numbers as a table on demand.
 */
export function MetricChart({ title, description, series, stepsPerEpoch = null, defaultXUnit = 'step', xLabel, defaultSmoothing = 0, yDomain, formatY = formatNumber, testId }: MetricChartProps) {
  const theme = useChartTheme();
  const [smoothing, setSmoothing] = useState(() => clampSmoothing(defaultSmoothing));
  const [scale, setScale] = useState<YScale>('linear');
  const [wantedUnit, setUnit] = useState<XUnit>(defaultXUnit);
  const epochsOffered = xLabel === undefined && canShowEpochs(series, stepsPerEpoch);
  const unit: XUnit = epochsOffered ? wantedUnit : 'step';
  const xName = xLabel ?? unit;

  const chart: ChartData = useMemo(() => buildChartData(series, { unit, stepsPerEpoch, smoothing, scale }), [series, unit, stepsPerEpoch, smoothing, scale]);
  const hasData = chart.data[0].length > 0;

  const plotRef = useRef<HTMLDivElement>(null);
  const readoutRef = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const readers = useRef<((u: uPlot) => void) | null>(null);
  // Series the person switched off in the read-out (by name), kept when the plot is re-created.
  const [hidden, setHidden] = useState<readonly string[]>([]);
  // The x range the person zoomed to by dragging (null: the whole run), kept while new points arrive; a double-click lets go.
  const zoom = useRef<{ min: number; max: number } | null>(null);
  // What the draw callbacks read at draw time, kept current without re-creating the plot.
  const live = useRef({ data: chart.data, smoothing, formatY, unit, hidden });
  useEffect(() => {
    live.current = { data: chart.data, smoothing, formatY, unit, hidden };
  });

  // The plot's shape: re-created when it changes (series, unit, scale, theme), not for new points.
  const shape = JSON.stringify({ series: series.map((s) => ({ name: s.name, color: s.color, dashed: Boolean(s.dashed) })), xName, unit, scale: chart.scale, yDomain: yDomain ?? null, theme });
  const spec = useMemo(() => JSON.parse(shape) as Shape, [shape]);
  useEffect(() => {
    const el = plotRef.current;
    const readoutEl = readoutRef.current;
    if (!el || !readoutEl) return;
    const { series: names, xName, unit, scale, yDomain } = spec;
    const n = names.length;
    // The read-out is written straight into its cells (React renders them empty): no re-render per pointer move.
    const cells = [...readoutEl.querySelectorAll<HTMLElement>('[data-readout]')];
    const writeReadout = (u: uPlot) => {
      const r = readoutAt(u.data as unknown as Parameters<typeof readoutAt>[0], n, u.cursor);
      const { smoothing, formatY } = live.current;
      if (cells[0]) cells[0].textContent = r.x === null ? '—' : formatX(r.x, unit);
      r.values.forEach((v, i) => {
        const cell = cells[i + 1];
        if (cell) cell.textContent = readoutText(v, smoothing, formatY);
      });
    };
    const colors = readChartColors(el);
    const fmtY = (v: number) => live.current.formatY(v);
    const logTicks = scale === 'log' && live.current.formatY === formatNumber;
    const axis = { stroke: colors.muted, font: FONT, labelFont: FONT, grid: { stroke: colors.border, width: 1 }, ticks: { stroke: colors.border, width: 1, size: 4 } };
    // Draw a series' points when they are few enough to see apart (a validation curve among many train steps).
    const showPoints = (u: uPlot, s: number, i0: number, i1: number) => {
      const column = u.data[s] ?? [];
      let count = 0;
      for (let i = i0; i <= i1; i++) if (column[i] != null) count++;
      return count <= Math.max(2, u.bbox.width / uPlot.pxRatio / 12);
    };
    const width = Math.max(100, Math.floor(el.clientWidth));
    const opts: uPlot.Options = {
      width,
      height: plotHeight(width),
      // uPlot's own legend is a table; the read-out below the plot is ours (MetricChart's figure holds only the data table).
      legend: { show: false },
      cursor: { hover: { skip: [undefined, null] }, drag: { x: true, y: false, setScale: true }, points: { size: 7 } },
      scales: {
        x: { time: false },
        y: scale === 'log' ? { distr: 3, log: 10 } : yDomain ? { range: [yDomain[0], yDomain[1]] } : { auto: true },
      },
      axes: [
        // Steps and epochs are counts: ticks on whole numbers only (two epochs read "1, 2", not "1.20, 1.40").
        { ...axis, label: xName, labelSize: 16, size: 30, incrs: WHOLE_INCREMENTS, values: (_u, splits) => splits.map((v) => (v == null ? '' : formatX(v, unit))) },
        // A log axis ticks at powers of ten: the default format would write them "10.00", "0.100".
        { ...axis, size: 46, values: (_u, splits) => splits.map((v) => (v == null ? '' : logTicks ? formatLogTick(v) : fmtY(v))) },
      ],
      series: [
        { label: xName },
        ...names.map(
          (s): uPlot.Series => ({
            label: s.name,
            show: !live.current.hidden.includes(s.name),
            stroke: colors.resolve(s.color),
            width: 1.8,
            ...(s.dashed ? { dash: [5, 3] } : {}),
            spanGaps: true,
            points: { show: showPoints, size: 4, fill: colors.resolve(s.color) },
          }),
        ),
        // The measured values under the smoothed lines, faint (empty while smoothing is off); no read-out or hover point of their own.
        ...names.map((s): uPlot.Series => ({ label: `${s.name} (raw)`, show: !live.current.hidden.includes(s.name), class: 'metric-raw', stroke: colors.resolve(s.color), alpha: 0.25, width: 1, spanGaps: true, points: { show: false } })),
      ],
      hooks: {
        setCursor: [writeReadout],
        // A range inside the data's is a zoom (a drag); the whole range (a double-click, or new data unzoomed) is none.
        setScale: [
          (u, key) => {
            if (key !== 'x') return;
            const xs = u.data[0];
            const { min, max } = u.scales.x!;
            const zoomed = xs.length > 1 && min != null && max != null && (min > xs[0]! || max < xs[xs.length - 1]!);
            zoom.current = zoomed ? { min: min!, max: max! } : null;
          },
        ],
      },
    };
    zoom.current = null;
    const u = new uPlot(opts, live.current.data as uPlot.AlignedData, el);
    plot.current = u;
    writeReadout(u);
    readers.current = writeReadout;
    let lastWidth = width;
    const observer = new ResizeObserver((entries) => {
      const w = Math.floor(entries[0]?.contentRect.width ?? 0);
      if (w > 0 && w !== lastWidth) {
        lastWidth = w;
        u.setSize({ width: w, height: plotHeight(w) });
      }
    });
    observer.observe(el);
    return () => {
      observer.disconnect();
      plot.current = null;
      readers.current = null;
      u.destroy();
    };
  }, [spec]);

  // New points (live training) and other smoothing: in place, without re-creating the plot.
  useEffect(() => {
    const u = plot.current;
    if (!u) return;
    const kept = zoom.current;
    if (kept) {
      // Zoomed: the new points arrive without moving the window (setScale re-fits y to it).
      u.setData(chart.data as uPlot.AlignedData, false);
      u.setScale('x', kept);
    } else u.setData(chart.data as uPlot.AlignedData);
    readers.current?.(u);
  }, [chart.data]);

  const toggleSeries = (index: number) => {
    const name = series[index]!.name;
    const show = hidden.includes(name);
    setHidden(show ? hidden.filter((h) => h !== name) : [...hidden, name]);
    plot.current?.setSeries(index + 1, { show });
    plot.current?.setSeries(index + 1 + series.length, { show });
  };

  const offered = series.length > 0;
  const controls = (
    <div className="metric-controls" role="group" aria-label={`${title} chart settings`}>
      <label className="metric-smoothing">
        Smoothing
        <input type="range" aria-label="Smoothing" min={0} max={MAX_SMOOTHING} step={0.01} value={smoothing} onChange={(e) => setSmoothing(clampSmoothing(Number(e.target.value)))} disabled={!offered} />
        <output>{smoothing.toFixed(2)}</output>
      </label>
      <label>
        Scale
        <select value={scale} onChange={(e) => setScale(e.target.value === 'log' ? 'log' : 'linear')}>
          <option value="linear">linear</option>
          <option value="log">log</option>
        </select>
      </label>
      {epochsOffered ? (
        <label>
          X axis
          <select value={unit} onChange={(e) => setUnit(e.target.value === 'epoch' ? 'epoch' : 'step')}>
            <option value="step">steps</option>
            <option value="epoch">epochs</option>
          </select>
        </label>
      ) : null}
    </div>
  );

  const note =
    scale === 'log' && hasData && chart.scale === 'linear'
      ? 'No value is above 0, so the log scale cannot draw them: shown on a linear scale.'
      : chart.scale === 'log' && chart.logDropped > 0
        ? `Log scale: ${chart.logDropped} ${chart.logDropped === 1 ? 'value' : 'values'} at or below 0 not drawn.`
        : null;

  return (
    <ChartFrame
      title={title}
      className="line-chart metric-chart"
      testId={testId}
      tableName="data table"
      controls={controls}
      data={{ 'data-x-unit': unit, 'data-scale': chart.scale, 'data-smoothing': String(smoothing) }}
      table={() => (
        <table className="data-table">
          <caption className="visually-hidden">{title}</caption>
          <thead>
            <tr>
              <th scope="col">{xName}</th>
              {series.map((s) => (
                <th key={s.name} scope="col">
                  {s.name}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {tableRows(series, unit, stepsPerEpoch).map((row) => (
              <tr key={row.x}>
                <th scope="row">{formatX(row.x, unit)}</th>
                {row.values.map((v, i) => (
                  <td key={series[i]!.name}>{v === null ? '—' : formatY(v)}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      footer={
        <>
          <div ref={readoutRef} className="metric-legend" role="group" aria-label={`${title}: values at the pointer, or the latest`}>
            <span className="metric-readout metric-readout-x">
              <span className="metric-readout-label">{xName}</span> <span className="metric-readout-value" data-readout="x" />
            </span>
            {series.map((s, i) => (
              <span className="metric-readout" key={s.name} data-series={s.name}>
                <button type="button" className="metric-readout-label metric-series-toggle" aria-pressed={!hidden.includes(s.name)} title={hidden.includes(s.name) ? 'Show this line' : 'Hide this line'} onClick={() => toggleSeries(i)}>
                  <span className={s.dashed ? 'swatch dashed' : 'swatch'} style={{ borderColor: s.color }} aria-hidden="true" />
                  {s.name}
                </button>{' '}
                <span className="metric-readout-value" data-readout={i} />
              </span>
            ))}
          </div>
          {note ? (
            <p className="metric-note" role="status">
              {note}
            </p>
          ) : null}
        </>
      }
    >
      <div ref={plotRef} className="metric-plot" role="img" aria-label={`${title} ${description}`} title="Drag across to zoom in (kept while new points arrive); double-click for the whole run" />
      {!hasData ? <p className="metric-empty muted">No points yet.</p> : null}
    </ChartFrame>
  );
}
