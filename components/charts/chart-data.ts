/**
 * Pure helpers behind MetricChart: smoothing, the log-scale guard, step <-> epoch x values and the
 * alignment of several series (or runs) onto the one shared x array uPlot draws from. No DOM, no
 * React, no uPlot import: unit-tested on their own (chart-data.test.ts).
 */

/** One measurement: x (an optimizer step unless the chart says otherwise) and its value. */
export type Point = readonly [x: number, y: number];

export type XUnit = 'step' | 'epoch';
export type YScale = 'linear' | 'log';

/** Smoothing slider bounds, as TensorBoard's: 0 draws the raw values, 0.99 is the heaviest. */
export const MAX_SMOOTHING = 0.99;

/**
 * The chart palette: CSS variables (app/globals.css, the metric charts section), so a series
 * keeps its hue in both themes with a lighter shade on dark backgrounds.
 */
export const CHART_COLORS = ['var(--chart-1)', 'var(--chart-2)', 'var(--chart-3)', 'var(--chart-4)', 'var(--chart-5)', 'var(--chart-6)'] as const;

export function clampSmoothing(weight: number): number {
  if (!Number.isFinite(weight) || weight <= 0) return 0;
  return Math.min(MAX_SMOOTHING, weight);
}

/**
 * TensorBoard's smoothing: an exponential moving average over the points in order, debiased so
 * the first values are not pulled towards zero (divided by 1 - weight^n after n values). Missing or
 * non-finite values pass through unchanged and do not advance the average; a constant series is
 * left as it is (its average would only show rounding).
 */
export function smoothEma<T extends number | null | undefined>(values: readonly T[], weight: number): (number | T)[] {
  const w = clampSmoothing(weight);
  if (w === 0) return [...values];
  const finite = values.filter((v): v is T & number => typeof v === 'number' && Number.isFinite(v));
  if (finite.length === 0 || finite.every((v) => v === finite[0])) return [...values];
  let last = 0;
  let count = 0;
  return values.map((v) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) return v;
    last = last * w + (1 - w) * v;
    count++;
    return last / (1 - w ** count);
  });
}

/**
 * What a log axis can draw: values that are not above zero become null (a gap), and are counted so
 * the chart can say how many it left out.
 */
export function logSafe(values: readonly (number | null | undefined)[]): { values: (number | null | undefined)[]; dropped: number } {
  let dropped = 0;
  const out = values.map((v) => {
    if (v === undefined || v === null) return v;
    if (!(v > 0) || !Number.isFinite(v)) {
      dropped++;
      return null;
    }
    return v;
  });
  return { values: out, dropped };
}

/**
 * Steps in one epoch from a run's per-epoch points ({ epoch: 0-based, step: steps done when it
 * ended }); null when they cannot say (no points, or an epoch that ended at step 0).
 */
export function inferStepsPerEpoch(points: readonly { readonly epoch: number; readonly step: number }[]): number | null {
  const last = points.at(-1);
  if (!last || !(last.step > 0) || last.epoch < 0) return null;
  return last.step / (last.epoch + 1);
}

/** A usable steps-per-epoch, or null (absent, zero, negative or not finite). */
export function validStepsPerEpoch(value: number | null | undefined): number | null {
  return typeof value === 'number' && Number.isFinite(value) && value > 0 ? value : null;
}

/**
 * An x value in the chosen unit: the step itself, or the (fractional) epoch it falls in, e.g. step
 * 15 with 10 steps per epoch is epoch 1.5, and the step that ends epoch 3 (0-based 2) is epoch 3.
 * Rounded to 1e-6 so the end of an epoch lands exactly on its whole number.
 */
export function stepToX(step: number, unit: XUnit, stepsPerEpoch: number | null): number {
  if (unit === 'step') return step;
  if (stepsPerEpoch === null) throw new Error('stepToX: epochs on the x axis need the steps per epoch');
  return Math.round((step / stepsPerEpoch) * 1e6) / 1e6;
}

/** uPlot's data: the shared x values, then one y array per series (undefined where a series has no point at that x). */
export type Aligned = [xs: number[], ...ys: (number | null | undefined)[][]];

/**
 * Several series onto one sorted x array, as uPlot wants them: each series' values at every x of
 * the union, `undefined` where it has no point there (uPlot's alignment gap, which the cursor skips
 * to the nearest real point). Points need not be sorted; a repeated x keeps the last value.
 */
export function alignSeries(series: readonly (readonly Point[])[]): Aligned {
  const xs = [...new Set(series.flatMap((points) => points.map((p) => p[0])))].filter(Number.isFinite).sort((a, b) => a - b);
  const index = new Map(xs.map((x, i) => [x, i]));
  const ys = series.map((points) => {
    const column: (number | null | undefined)[] = new Array<number | undefined>(xs.length).fill(undefined);
    for (const [x, y] of points) {
      const i = index.get(x);
      if (i !== undefined) column[i] = Number.isFinite(y) ? y : null;
    }
    return column;
  });
  return [xs, ...ys];
}

/** What one chart series needs to be drawn: its points (x in steps) and, for runs compared, its own epoch length. */
export interface SeriesInput {
  readonly points: readonly Point[];
  /** Steps per epoch of this series' run; runs compared may differ. Falls back to the chart's. */
  readonly stepsPerEpoch?: number | null | undefined;
}

export interface ChartDataOptions {
  readonly unit: XUnit;
  readonly stepsPerEpoch: number | null;
  readonly smoothing: number;
  readonly scale: YScale;
}

export interface ChartData {
  /** [x, smoothed series..., raw series...]: the raw copies are the faint lines under the smoothed ones. */
  readonly data: Aligned;
  /** The scale actually drawn: log falls back to linear when no value is above zero. */
  readonly scale: YScale;
  /** Measured values a log scale cannot draw (zero or below). */
  readonly logDropped: number;
}

/** Whether every series can be put on an epoch axis (its own steps per epoch, or the chart's). */
export function canShowEpochs(series: readonly SeriesInput[], stepsPerEpoch: number | null): boolean {
  return series.every((s) => validStepsPerEpoch(s.stepsPerEpoch) !== null || validStepsPerEpoch(stepsPerEpoch) !== null);
}

/**
 * Everything the plot draws, from the series and the chart's settings: x values in the chosen unit,
 * aligned; each series smoothed (its own points in order, before alignment, so another series'
 * x values never count as gaps); raw copies empty when smoothing is off; log-guarded.
 */
export function buildChartData(series: readonly SeriesInput[], options: ChartDataOptions): ChartData {
  const unit = options.unit === 'epoch' && canShowEpochs(series, options.stepsPerEpoch) ? 'epoch' : 'step';
  const weight = clampSmoothing(options.smoothing);
  const mapped = series.map((s) => {
    const spe = validStepsPerEpoch(s.stepsPerEpoch) ?? validStepsPerEpoch(options.stepsPerEpoch);
    return [...s.points].sort((a, b) => a[0] - b[0]).map(([x, y]) => [stepToX(x, unit, spe), y] as const);
  });
  const smoothed = mapped.map((points) => {
    const ys = smoothEma(points.map((p) => p[1]), weight);
    return points.map((p, i) => [p[0], ys[i]!] as const);
  });
  const raw = weight > 0 ? mapped : mapped.map(() => []);
  const aligned = alignSeries([...smoothed, ...raw]);
  const [xs, ...ys] = aligned;
  if (options.scale !== 'log') return { data: aligned, scale: 'linear', logDropped: 0 };
  const guarded = ys.map(logSafe);
  const anyPositive = guarded.some((g) => g.values.some((v) => typeof v === 'number'));
  if (!anyPositive) return { data: aligned, scale: 'linear', logDropped: 0 };
  // What the person's data holds at or below zero (smoothed or not, those points are not drawn as measured).
  const logDropped = series.reduce((sum, s) => sum + s.points.filter((p) => !(p[1] > 0)).length, 0);
  return { data: [xs, ...guarded.map((g) => g.values)], scale: 'log', logDropped };
}

/** The rows of a chart's data table: every x with each series' raw value there (null where it has none). */
export function tableRows(series: readonly SeriesInput[], unit: XUnit, stepsPerEpoch: number | null): { x: number; values: (number | null)[] }[] {
  const u = unit === 'epoch' && canShowEpochs(series, stepsPerEpoch) ? 'epoch' : 'step';
  const mapped = series.map((s) => {
    const spe = validStepsPerEpoch(s.stepsPerEpoch) ?? validStepsPerEpoch(stepsPerEpoch);
    return s.points.map(([x, y]) => [stepToX(x, u, spe), y] as const);
  });
  const [xs, ...ys] = alignSeries(mapped);
  return xs.map((x, i) => ({ x, values: ys.map((column) => column[i] ?? null) }));
}

/** The default y format: whole numbers from 100, two decimals from 1, three below. */
export function formatNumber(y: number): string {
  const a = Math.abs(y);
  if (a >= 100) return y.toFixed(0);
  if (a >= 1) return y.toFixed(2);
  if (a === 0) return '0';
  if (a < 0.001) return y.toExponential(1);
  return y.toFixed(3);
}

/**
 * A log-scale y tick (a power of ten, or 2 or 5 of one) in its shortest decimal: "10" and "0.1",
 * not formatNumber's "10.00" and "0.100"; an exponent ("1e4", "2e-5") outside 0.001 to 10,000.
 */
export function formatLogTick(y: number): string {
  if (y === 0) return '0';
  const a = Math.abs(y);
  // toPrecision drops float noise from the tick's computation (0.30000000000000004 → 0.3).
  const v = Number(y.toPrecision(6));
  if (a >= 1e4 || a < 1e-3) return v.toExponential().replace('e+', 'e');
  return String(v);
}

/** An x value as the legend and table show it: steps whole, epochs to two decimals where fractional. */
export function formatX(x: number, unit: XUnit): string {
  if (unit === 'step' || Number.isInteger(x)) return String(x);
  return x.toFixed(2);
}

export interface Readout {
  /** The x the values are read at: the pointer's nearest, or the last one while nothing is hovered. */
  readonly x: number | null;
  /** Per series: the drawn (smoothed) value and the measured one at its nearest point. */
  readonly values: readonly { readonly value: number | null; readonly raw: number | null }[];
}

const lastDefined = (column: readonly (number | null | undefined)[] | undefined): number | null => {
  if (!column) return null;
  for (let i = column.length - 1; i >= 0; i--) if (typeof column[i] === 'number') return i;
  return null;
};

/**
 * The read-out beside the plot, from buildChartData's data ([x, n smoothed, n raw]) and uPlot's
 * cursor: at the hovered x each series' nearest real point (uPlot's per-series index, which skips
 * alignment gaps); with no pointer, each series' latest value.
 */
export function readoutAt(data: Aligned, n: number, cursor: { readonly idx?: number | null | undefined; readonly idxs?: readonly (number | null | undefined)[] | null | undefined }): Readout {
  const [xs] = data;
  const hovering = cursor.idx !== null && cursor.idx !== undefined;
  const values = Array.from({ length: n }, (_, i) => {
    const column = data[i + 1];
    const at = hovering ? (cursor.idxs?.[i + 1] ?? null) : lastDefined(column);
    if (at === null || !column) return { value: null, raw: null };
    const value = column[at];
    const raw = data[i + 1 + n]?.[at];
    return { value: typeof value === 'number' ? value : null, raw: typeof raw === 'number' ? raw : null };
  });
  const xIdx = hovering ? cursor.idx! : xs.length - 1;
  return { x: xIdx >= 0 && xIdx < xs.length ? xs[xIdx]! : null, values };
}

/** One series' read-out text: the value, and the measured one beside it while smoothing is on. */
export function readoutText(entry: { readonly value: number | null; readonly raw: number | null }, smoothing: number, format: (y: number) => string): string {
  if (entry.value === null) return '—';
  return clampSmoothing(smoothing) > 0 && entry.raw !== null ? `${format(entry.value)} (raw ${format(entry.raw)})` : format(entry.value);
}
