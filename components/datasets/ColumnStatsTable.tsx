import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@/server/trpc/root';
import { formatStat } from './format';

type ColumnStats = inferRouterOutputs<AppRouter>['datasets']['get']['preview']['stats'][number];

const MAX_ROWS = 100;

/** Per-column statistics over every row: what to normalise, and which column looks like classes. */
export function ColumnStatsTable({ stats, labelColumn }: { stats: ColumnStats[]; labelColumn: number | null }) {
  const shown = stats.slice(0, MAX_ROWS);
  const categorical = (s: ColumnStats, c: number) => s.type === 'categorical' && c !== labelColumn;
  return (
    <div className="table-scroll">
      <table className="table compact" aria-label="Column statistics">
        <caption>{shown.length < stats.length ? `Statistics for the first ${shown.length} of ${stats.length} columns` : 'Column statistics'}</caption>
        <thead>
          <tr>
            <th scope="col">Column</th>
            <th scope="col">Min</th>
            <th scope="col">Max</th>
            <th scope="col">Mean</th>
            <th scope="col">Std</th>
            <th scope="col">Missing</th>
            <th scope="col">Distinct</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((s, c) => (
            <tr key={c} className={c === labelColumn ? 'label-column' : undefined}>
              <th scope="row">
                {s.name}
                {c === labelColumn ? ' (label)' : ''}
                {s.type === 'categorical' && c !== labelColumn ? <span className="muted"> · categorical</span> : null}
              </th>
              {/* A categorical column has categories, not a range or a mean. */}
              <td>{categorical(s, c) ? '—' : formatStat(s.min)}</td>
              <td>{categorical(s, c) ? '—' : formatStat(s.max)}</td>
              <td>{categorical(s, c) ? '—' : formatStat(s.mean)}</td>
              <td>{categorical(s, c) ? '—' : formatStat(s.std)}</td>
              <td>{s.missing}</td>
              <td>{s.distinct ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
