'use client';

export function formatDuration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m}m ${s % 60}s` : `${Math.floor(m / 60)}h ${m % 60}m`;
}

interface ProgressBarProps {
  readonly label: string;
  readonly step: number;
  readonly totalSteps: number;
  readonly detail: string;
}

/** A native <progress> (announced by screen readers) with a line of text under it. */
export function ProgressBar({ label, step, totalSteps, detail }: ProgressBarProps) {
  const fraction = totalSteps > 0 ? Math.min(1, step / totalSteps) : 0;
  return (
    <div className="training-progress">
      <progress max={1} value={fraction} aria-label={label}>
        {Math.round(fraction * 100)}%
      </progress>
      <p className="training-progress-detail">{detail}</p>
    </div>
  );
}
