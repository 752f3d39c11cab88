import type { inferRouterOutputs } from '@trpc/server';
import type { AppRouter } from '@/server/trpc/root';
import { formatStat } from './format';

type ColumnStats = inferRouterOutputs<AppRouter>['datasets']['get']['preview']['stats'][number];

const MAX_ROWS = 100;

/** Per-column statistics over every row: what to normalise, and which column looks like classes. */
export function ColumnStatsTable({ stats, labelColumn }: { stats: ColumnStats[]; labelColumn: number | null }) {
  const shown = stats.slice(0, MAX_ROWS);
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
              </th>
              <td>{formatStat(s.min)}</td>
              <td>{formatStat(s.max)}</td>
              <td>{formatStat(s.mean)}</td>
              <td>{formatStat(s.std)}</td>
              <td>{s.missing}</td>
              <td>{s.distinct ?? '—'}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
