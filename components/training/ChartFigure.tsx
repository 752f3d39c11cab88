'use client';

import { useId, useState, type ReactNode } from 'react';

interface ChartFrameProps {
  readonly title: string;
  readonly className?: string;
  readonly testId?: string;
  /** What the toggle calls the table, e.g. "data table". */
  readonly tableName: string;
  /** The same numbers as a table, shown on demand (built only while shown). */
  readonly table: () => ReactNode;
  /** Beside the title: the chart's own controls. */
  readonly controls?: ReactNode;
  /** Under the picture: legend, summary. */
  readonly footer?: ReactNode;
  /** Extra attributes on the figure (data-*). */
  readonly data?: Record<`data-${string}`, string>;
  /** The picture: an accessible image (role="img" named by its title and description). */
  readonly children: ReactNode;
}

/**
 * The frame every chart shares: a titled figure around an accessible picture, and a toggle that
 * shows the same numbers as a table. The picture may be an SVG (ChartFigure) or a canvas plot
 * (components/charts/MetricChart).
 */
export function ChartFrame({ title, className = 'line-chart', testId, tableName, table, controls, footer, data, children }: ChartFrameProps) {
  const id = useId();
  const [showTable, setShowTable] = useState(false);
  return (
    <figure className={className} data-testid={testId} {...data}>
      <figcaption>
        <span className="line-chart-title">{title}</span>
        <button type="button" className="link-button" onClick={() => setShowTable((s) => !s)} aria-expanded={showTable} aria-controls={`${id}-table`}>
          {showTable ? `Hide ${tableName}` : `Show ${tableName}`}
        </button>
      </figcaption>
      {controls}
      {children}
      {footer}
      {showTable ? (
        <div className="table-scroll" id={`${id}-table`}>
          {table()}
        </div>
      ) : null}
    </figure>
  );
}

interface ChartFigureProps {
  readonly title: string;
  /** What the chart shows, in words: read out in place of the picture. */
  readonly description: string;
  readonly width: number;
  readonly height: number;
  readonly className?: string;
  readonly testId?: string;
  /** What the toggle calls the table, e.g. "data table". */
  readonly tableName: string;
  /** The same numbers as a table, shown on demand. */
  readonly table: ReactNode;
  /** Under the picture: legend, summary. */
  readonly footer?: ReactNode;
  /** The SVG's content. */
  readonly children: ReactNode;
}

/** A hand-drawn SVG chart in the shared frame: the SVG is an accessible image with a title and description. */
export function ChartFigure({ title, description, width, height, className = 'line-chart', testId, tableName, table, footer, children }: ChartFigureProps) {
  const id = useId();
  return (
    <ChartFrame title={title} className={className} testId={testId} tableName={tableName} table={() => table} footer={footer}>
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby={`${id}-title ${id}-desc`} preserveAspectRatio="xMidYMid meet">
        <title id={`${id}-title`}>{title}</title>
        <desc id={`${id}-desc`}>{description}</desc>
        {children}
      </svg>
    </ChartFrame>
  );
}
