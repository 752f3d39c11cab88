'use client';

import { useId, useState, type ReactNode } from 'react';

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

/**
 * The frame every hand-written chart shares: a titled figure whose SVG is an accessible image
 * (role="img" with a title and description) and a toggle that shows the numbers as a table.
 */
export function ChartFigure({ title, description, width, height, className = 'line-chart', testId, tableName, table, footer, children }: ChartFigureProps) {
  const id = useId();
  const [showTable, setShowTable] = useState(false);
  return (
    <figure className={className} data-testid={testId}>
      <figcaption>
        <span className="line-chart-title">{title}</span>
        <button type="button" className="link-button" onClick={() => setShowTable((s) => !s)} aria-expanded={showTable} aria-controls={`${id}-table`}>
          {showTable ? `Hide ${tableName}` : `Show ${tableName}`}
        </button>
      </figcaption>
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-labelledby={`${id}-title ${id}-desc`} preserveAspectRatio="xMidYMid meet">
        <title id={`${id}-title`}>{title}</title>
        <desc id={`${id}-desc`}>{description}</desc>
        {children}
      </svg>
      {footer}
      {showTable ? (
        <div className="table-scroll" id={`${id}-table`}>
          {table}
        </div>
      ) : null}
    </figure>
  );
}
