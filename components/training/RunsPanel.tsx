'use client';

import { useInfiniteQuery, useQueries } from '@tanstack/react-query';
import { useState } from 'react';
import { messageOf, useTRPC } from '../trpc/client';
import { CHART_COLORS, inferStepsPerEpoch } from '../charts/chart-data';
import { MetricChart, type MetricSeries } from '../charts/MetricChart';

const COLORS = CHART_COLORS;
const pct = (x: number | null) => (x === null ? '—' : `${(x * 100).toFixed(1)}%`);

/** Saved runs of the model; tick some to compare them: one line per run (its own colour, named in the legend) on the same charts. */
interface RunsPanelProps {
  readonly modelId: string;
  /** The model's graph now (compute/graph graphHash): runs trained on another version are marked. */
  readonly graphHash: string;
  /** Loads a run back into the training panel; absent while that is not possible (training, no worker). */
  readonly onLoad?: ((run: { id: string; name: string; graphHash: string | null }) => void) | undefined;
  readonly loadingId?: string | null;
  /** "Continue on the network": opens the network form with the run as the job's starting point; absent for viewers. */
  readonly onContinueOnNetwork?: ((run: { id: string; name: string; datasetId: string | null; config: Record<string, unknown>; checkpoint: { step: number; optimizer: string } | null }) => void) | undefined;
}

export function RunsPanel({ modelId, graphHash, onLoad, loadingId = null, onContinueOnNetwork }: RunsPanelProps) {
  const trpc = useTRPC();
  const list = useInfiniteQuery(trpc.runs.list.infiniteQueryOptions({ modelId }, { getNextPageParam: (page) => page.nextCursor }));
  const [selected, setSelected] = useState<string[]>([]);
  const details = useQueries({ queries: selected.map((id) => trpc.runs.get.queryOptions({ id })) });

  if (list.isPending) return <p className="muted">Loading saved runs…</p>;
  if (list.isError) return <p className="form-error">{messageOf(list.error)}</p>;
  const runs = list.data.pages.flatMap((page) => page.items);
  if (runs.length === 0) return <p className="muted">No saved runs yet. Train, then “Save run”.</p>;

  // Runs saved before graph versions were recorded are not marked: nothing to compare.
  const graphChanged = (runHash: string | null) => runHash !== null && runHash !== graphHash;
  const toggle = (id: string) => setSelected((s) => (s.includes(id) ? s.filter((x) => x !== id) : [...s, id].slice(-COLORS.length)));
  const loaded = details.flatMap((q) => (q.data ? [q.data] : []));
  // Each run on its own epoch length (runs on other data or batch sizes differ), so epochs line up.
  const runSeries = (run: (typeof loaded)[number], points: MetricSeries['points']): MetricSeries => ({
    name: run.name,
    color: COLORS[selected.indexOf(run.id) % COLORS.length]!,
    points,
    stepsPerEpoch: inferStepsPerEpoch(run.metrics.epochs),
  });
  const series = (key: 'valAccuracy' | 'valLoss'): MetricSeries[] => loaded.map((run) => runSeries(run, run.metrics.epochs.flatMap((e) => (e[key] === null ? [] : [[e.step, e[key]] as const]))));
  const trainLoss = loaded.map((run) => runSeries(run, run.metrics.batches.flatMap((b) => (b.loss === null ? [] : [[b.step, b.loss] as const]))));
  const runNames = loaded.map((r) => r.name).join(', ');

  return (
    <section className="saved-runs" aria-label="Saved runs">
      <table className="data-table">
        <thead>
          <tr>
            <th scope="col">compare</th>
            <th scope="col">run</th>
            <th scope="col">by</th>
            <th scope="col">data</th>
            <th scope="col">val acc</th>
            <th scope="col">test acc</th>
            <th scope="col">weights</th>
            <th scope="col">load</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((r) => (
            <tr key={r.id} data-testid="saved-run" data-graph-changed={graphChanged(r.graphHash) ? 'true' : 'false'}>
              <td>
                <input type="checkbox" aria-label={`Compare ${r.name}`} checked={selected.includes(r.id)} onChange={() => toggle(r.id)} />
              </td>
              <td title={new Date(r.createdAt).toLocaleString()}>
                {r.name} <span className="muted">({r.status}, {r.epochs} epochs)</span>
                {graphChanged(r.graphHash) ? (
                  <span className="badge warning" data-testid="graph-changed" title="The model's graph was edited after this run trained; its weights may not fit it.">
                    {' '}graph changed since
                  </span>
                ) : null}
              </td>
              <td>{r.by}</td>
              <td>{r.dataset}</td>
              <td>{pct(r.finalAccuracy)}</td>
              <td>{pct(r.testAccuracy)}</td>
              <td>
                <a href={`/api/runs/${r.id}/weights`} download title={`sha256 ${r.weights.sha256}`}>
                  .safetensors
                </a>
              </td>
              <td>
                <button
                  type="button"
                  className="button secondary"
                  data-testid="load-run"
                  aria-label={`Load ${r.name}`}
                  disabled={!onLoad || loadingId !== null}
                  title={graphChanged(r.graphHash) ? 'The graph changed since this run trained; loading is refused' : 'Load this run into the panel to evaluate it or predict'}
                  onClick={() => onLoad?.(r)}
                >
                  {loadingId === r.id ? 'Loading…' : 'Load'}
                </button>
                {onContinueOnNetwork ? (
                  <button type="button" className="button secondary" data-testid="continue-on-network" aria-label={`Continue ${r.name} on the network`} title="Train on from this run on a provider's machine: the network form opens with it as the starting point" onClick={() => onContinueOnNetwork(r)}>
                    Continue on the network
                  </button>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {list.hasNextPage ? (
        <button type="button" className="button" onClick={() => void list.fetchNextPage()} disabled={list.isFetchingNextPage}>
          {list.isFetchingNextPage ? 'Loading…' : 'Load more runs'}
        </button>
      ) : null}
      {loaded.length > 0 ? (
        <div className="chart-row">
          <MetricChart title="Validation accuracy by run" description={`Validation accuracy per epoch for ${runNames}`} series={series('valAccuracy')} defaultXUnit="epoch" yDomain={[0, 1]} formatY={(y) => `${Math.round(y * 100)}%`} testId="compare-accuracy" />
          <MetricChart title="Validation loss by run" description={`Validation loss per epoch for ${runNames}`} series={series('valLoss')} defaultXUnit="epoch" testId="compare-loss" />
          {trainLoss.some((s) => s.points.length > 0) ? (
            <MetricChart title="Training loss by run" description={`Training loss over the saved samples for ${runNames}`} series={trainLoss} defaultXUnit="epoch" defaultSmoothing={0.6} testId="compare-train-loss" />
          ) : null}
        </div>
      ) : null}
    </section>
  );
}
