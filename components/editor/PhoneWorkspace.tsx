'use client';

import { useInfiniteQuery, useQuery, skipToken } from '@tanstack/react-query';
import { CHART_COLORS, inferStepsPerEpoch } from '../charts/chart-data';
import { MetricChart } from '../charts/MetricChart';
import { messageOf, useTRPC } from '../trpc/client';
import type { ProblemIndex } from './problem-index';
import { ProblemsPanel } from './ProblemsPanel';

/**
 * The editor on a phone: the canvas (read-only: pan and zoom with the fingers), then the problems
 * list and the charts of the model's latest saved run, one under another. Editing needs a bigger
 * screen, and the page says so.
 */
export function PhoneWorkspace({ modelId, canvas, index }: { modelId: string; canvas: React.ReactNode; index: ProblemIndex }) {
  return (
    <div className="phone-workspace" data-testid="phone-workspace">
      <p className="muted phone-note">View only on a phone: pinch or drag to look around. Open the model on a larger screen to edit and train.</p>
      <div className="phone-canvas">{canvas}</div>
      <ProblemsPanel index={index} onShow={() => undefined} />
      <LatestRunCharts modelId={modelId} />
    </div>
  );
}

function LatestRunCharts({ modelId }: { modelId: string }) {
  const trpc = useTRPC();
  const list = useInfiniteQuery(trpc.runs.list.infiniteQueryOptions({ modelId }, { getNextPageParam: (page) => page.nextCursor }));
  const latest = list.data?.pages[0]?.items[0];
  const detail = useQuery(trpc.runs.get.queryOptions(latest ? { id: latest.id } : skipToken));
  return (
    <section className="side-section" aria-labelledby="phone-run-heading" data-testid="phone-latest-run">
      <h2 id="phone-run-heading">Latest run</h2>
      {list.isError ? (
        <p className="form-error">{messageOf(list.error)}</p>
      ) : list.isPending || (latest && detail.isPending) ? (
        <p className="muted">Loading…</p>
      ) : !latest ? (
        <p className="muted">No saved runs yet.</p>
      ) : detail.isError ? (
        <p className="form-error">{messageOf(detail.error)}</p>
      ) : detail.data ? (
        <>
          <p className="muted">
            {detail.data.name} · {detail.data.dataset}
          </p>
          <MetricChart
            title="Validation accuracy"
            description={`Validation accuracy per epoch of ${detail.data.name}`}
            series={[{ name: 'validation accuracy', color: CHART_COLORS[0], points: detail.data.metrics.epochs.flatMap((e) => (e.valAccuracy === null ? [] : [[e.step, e.valAccuracy] as const])) }]}
            stepsPerEpoch={inferStepsPerEpoch(detail.data.metrics.epochs)}
            defaultXUnit="epoch"
            yDomain={[0, 1]}
            formatY={(y) => `${Math.round(y * 100)}%`}
          />
          <MetricChart
            title="Validation loss"
            description={`Validation loss per epoch of ${detail.data.name}`}
            series={[{ name: 'validation loss', color: CHART_COLORS[1], points: detail.data.metrics.epochs.flatMap((e) => (e.valLoss === null ? [] : [[e.step, e.valLoss] as const])) }]}
            stepsPerEpoch={inferStepsPerEpoch(detail.data.metrics.epochs)}
            defaultXUnit="epoch"
          />
        </>
      ) : null}
    </section>
  );
}
