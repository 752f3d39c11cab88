'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import Link from 'next/link';
import { useEffect, useState } from 'react';
import { CHART_COLORS } from '../charts/chart-data';
import { MetricChart } from '../charts/MetricChart';
import { ProgressBar } from '../training/ProgressBar';
import { ConfirmDialog } from '../ui/ConfirmDialog';
import { formatBytes } from '../ui/format-bytes';
import { cyxText } from '../ui/money';
import { Loading } from '../ui/Spinner';
import { messageOf, useTRPC } from '../trpc/client';
import { canCancel, chartSeries, isDone, jobStepsPerEpoch, progressLine, STATUS_LABELS, timelineText } from './job-format';
import { JobResult } from './JobResult';
import { useJobWatch } from './use-job-watch';

/** What is still in the job's escrow: locked, less released and refunded (never below zero). */
function escrowLeft(j: { quotedMicro: string; paidMicro: string; refundedMicro: string }): bigint {
  const left = BigInt(j.quotedMicro) - BigInt(j.paidMicro) - BigInt(j.refundedMicro);
  return left > 0n ? left : 0n;
}

const pct = (y: number) => `${Math.round(y * 100)}%`;
const score = (v: number | null, asPct = false) => (v === null ? '—' : asPct ? `${(v * 100).toFixed(1)}%` : v.toFixed(4));

/**
 * One network job: status and live progress (jobs.watch over SSE: the charts grow as the runner
 * reports), the timeline, what each checkpoint released, cancel, and the trained model once done.
 * Two requests in all: jobs.detail, then the stream; the detail reloads only when the job moves to
 * another status, checkpoint or payment, not on every progress point.
 */
export function JobDetailView({ jobId }: { jobId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const detail = useQuery(trpc.jobs.detail.queryOptions({ id: jobId }));
  const live = useJobWatch(detail.isSuccess ? jobId : null, true);
  const [confirming, setConfirming] = useState(false);
  const cancel = useMutation(
    trpc.jobs.cancel.mutationOptions({
      onSuccess: () => {
        setConfirming(false);
        void queryClient.invalidateQueries({ queryKey: trpc.jobs.detail.queryKey({ id: jobId }) });
        void queryClient.invalidateQueries({ queryKey: trpc.wallet.balance.queryKey() });
      },
    }),
  );

  const job = live.job && detail.data ? { ...detail.data.job, ...live.job } : detail.data?.job;
  const moved = live.job ? [live.job.status, live.job.lastCheckpointStep, live.job.paidMicro, live.job.refundedMicro, live.job.machineId, live.job.resultRunId].join('|') : null;
  useEffect(() => {
    if (moved !== null) void queryClient.invalidateQueries({ queryKey: trpc.jobs.detail.queryKey({ id: jobId }) });
  }, [moved, jobId, queryClient, trpc]);

  if (detail.isPending) return <Loading label="Loading the job…" />;
  if (detail.isError) {
    return (
      <>
        <h1>Job</h1>
        <p className="form-error" role="alert">
          {messageOf(detail.error)}
        </p>
        <Link href="/jobs">All jobs</Link>
      </>
    );
  }
  const { timeline, checkpoints, timelineTruncated } = detail.data;
  const j = job!;
  const series = chartSeries(live.points);
  const stepsPerEpoch = jobStepsPerEpoch(j, live.points);
  const machineName = (id: string) => (id === j.machineId && j.machineName ? j.machineName : (checkpoints.find((c) => c.machineId === id)?.machineName ?? id.slice(-6)));
  const released = checkpoints.reduce((sum, c) => sum + BigInt(c.releasedMicro), 0n);

  return (
    <article className="job-detail" data-testid="job-detail" data-status={j.status}>
      <p>
        <Link href="/jobs">← All jobs</Link>
      </p>
      <h1>
        {j.modelName ? <Link href={`/models/${j.modelId}`}>{j.modelName}</Link> : 'A deleted model'} on the network
      </h1>
      <p className="job-status-line">
        <strong className="job-status" data-status={j.status} data-testid="job-status">
          {STATUS_LABELS[j.status]}
        </strong>
        {j.machineId ? <> · on {machineName(j.machineId)}</> : null} · submitted {new Date(j.createdAt).toLocaleString()}
        <span className="muted" data-testid="live-state">
          {' '}
          · {live.final ? 'final' : live.status === 'pending' ? 'live' : live.status === 'connecting' ? 'connecting…' : live.status === 'error' ? 'live updates stopped' : ''}
        </span>
      </p>
      {j.failureReason ? <p className={j.status === 'CANCELLED' || j.status === 'REFUNDED' ? 'muted' : 'form-error'}>{j.failureReason}</p> : null}
      {j.startFrom ? (
        <p data-testid="job-start-from">
          Started from run <Link href={`/models/${j.modelId}?run=${j.startFrom.runId}`}>{j.startFrom.runName}</Link> at step {j.startFrom.step.toLocaleString()}
          {j.startFrom.resumesOptimizer ? ', its weights and optimizer state' : ', its weights with a fresh optimizer'}
          {j.config ? `; this job trains epochs ${j.startFrom.epochsDone + 1}–${j.startFrom.epochsDone + j.config.epochs}.` : '.'}
        </p>
      ) : null}
      {live.error ? <p className="form-error" role="alert">Live updates: {messageOf(live.error)}</p> : null}

      <ProgressBar label="Job progress" step={isDone(j.status) ? 1 : (j.latest?.step ?? 0)} totalSteps={isDone(j.status) ? 1 : (j.totalSteps ?? 0)} detail={progressLine(j)} />
      {j.latest ? (
        <p className="metrics" data-testid="job-metrics">
          epoch {j.latest.epochIndex + 1} · loss {score(j.latest.loss)} · accuracy {score(j.latest.accuracy, true)} · validation loss {score(j.latest.valLoss)} · validation accuracy {score(j.latest.valAccuracy, true)}
        </p>
      ) : null}

      <div className="chart-row">
        <MetricChart
          title="Loss"
          description={`Training loss over ${series.trainLoss.length} reports and validation loss at ${series.valLoss.length}, by optimizer step.`}
          series={[
            { name: 'train loss', color: CHART_COLORS[0], points: series.trainLoss },
            { name: 'validation loss', color: CHART_COLORS[1], points: series.valLoss, dashed: true },
          ]}
          stepsPerEpoch={stepsPerEpoch}
          testId="job-loss-chart"
        />
        <MetricChart
          title="Accuracy"
          description={`Training accuracy over ${series.trainAcc.length} reports and validation accuracy at ${series.valAcc.length}, by optimizer step.`}
          series={[
            { name: 'train accuracy', color: CHART_COLORS[2], points: series.trainAcc },
            { name: 'validation accuracy', color: CHART_COLORS[3], points: series.valAcc, dashed: true },
          ]}
          stepsPerEpoch={stepsPerEpoch}
          yDomain={[0, 1]}
          formatY={pct}
          testId="job-accuracy-chart"
        />
      </div>

      {j.resultRunId ? <JobResult runId={j.resultRunId} modelId={j.modelId} graph={detail.data.resultGraph} /> : null}

      <section aria-labelledby="job-cost">
        <h2 id="job-cost">Cost</h2>
        <ul className="cards" aria-label="Money">
          <li className="card">
            <span className="card-value" data-testid="job-quoted">{cyxText(j.quotedMicro)}</span>
            <span className="card-label">locked in escrow (the approved quote)</span>
          </li>
          <li className="card">
            <span className="card-value" data-testid="job-paid">{cyxText(j.paidMicro)}</span>
            <span className="card-label">released to the provider (fee included)</span>
          </li>
          <li className="card">
            <span className="card-value" data-testid="job-refunded">{cyxText(j.refundedMicro)}</span>
            <span className="card-label">refunded to you</span>
          </li>
        </ul>
        <p className="muted">
          Price cap {cyxText(j.priceCapMicro)}/h · {j.requirements.device === 'gpu' ? 'GPU' : 'CPU or GPU'}
          {j.requirements.minVramBytes > 0 ? ` with ${formatBytes(j.requirements.minVramBytes)} free` : ''}
          {j.config ? ` · ${j.config.epochs} epochs, batch ${j.config.batchSize}${j.config.learningRate !== null ? `, learning rate ${j.config.learningRate}` : ''}${j.config.seed !== null ? `, seed ${j.config.seed}` : ''}` : ''}
        </p>
        {checkpoints.length === 0 ? (
          <p className="muted">No checkpoints yet: the machine uploads one after every epoch, the platform checks it on the validation split and releases that checkpoint&apos;s share.</p>
        ) : (
          <div className="table-scroll">
          <table className="table compact" aria-label="Checkpoints" data-testid="checkpoints">
            <thead>
              <tr>
                <th>Step</th>
                <th>Machine</th>
                <th>Verified</th>
                <th>Validation (runner / platform)</th>
                <th>Released</th>
              </tr>
            </thead>
            <tbody>
              {checkpoints.map((c) => (
                <tr key={c.sha256} data-verified={c.verified}>
                  <td title={`sha256 ${c.sha256} · ${formatBytes(c.bytes)}`}>
                    {c.step.toLocaleString()} (epoch {c.epochIndex + 1})
                  </td>
                  <td>{c.machineName ?? c.machineId.slice(-6)}</td>
                  <td>{c.verified ? 'yes' : `no: ${c.reason ?? 'did not match'}`}</td>
                  <td>
                    loss {score(c.reported.valLoss)} / {score(c.platform.valLoss)} · accuracy {score(c.reported.valAccuracy, true)} / {score(c.platform.valAccuracy, true)}
                  </td>
                  <td>{cyxText(c.releasedMicro)}</td>
                </tr>
              ))}
            </tbody>
            <tfoot>
              <tr>
                <th colSpan={4}>Released for checkpoints</th>
                <td>{cyxText(released.toString())}</td>
              </tr>
            </tfoot>
          </table>
          </div>
        )}
        {canCancel(j.status) ? (
          <div className="button-row">
            <button type="button" className="button danger" onClick={() => setConfirming(true)} data-testid="cancel-job">
              Cancel the job
            </button>
          </div>
        ) : null}
        {cancel.isSuccess ? (
          <p role="status" data-testid="cancelled">
            Cancelled: {cyxText(cancel.data.refundedMicro)} refunded to your wallet{cancel.data.paidMicro !== '0' ? `; ${cyxText(cancel.data.paidMicro)} had been released for verified checkpoints` : ''}.
          </p>
        ) : null}
      </section>

      <section aria-labelledby="job-timeline">
        <h2 id="job-timeline">Timeline</h2>
        {timelineTruncated ? <p className="muted">Older events are not shown.</p> : null}
        <ol className="job-timeline" data-testid="job-timeline">
          {timeline.map((e) => (
            <li key={e.version}>
              <time dateTime={e.at}>{new Date(e.at).toLocaleTimeString()}</time> {timelineText(e, machineName)}
            </li>
          ))}
        </ol>
      </section>

      {confirming ? (
        <ConfirmDialog
          title="Cancel this job?"
          confirmLabel="Cancel the job"
          pending={cancel.isPending}
          error={cancel.isError ? messageOf(cancel.error) : null}
          onConfirm={() => cancel.mutate({ id: jobId })}
          onCancel={() => setConfirming(false)}
        >
          <p>
            The machine stops, and what is left in the escrow ({cyxText(escrowLeft(j).toString())} of {cyxText(j.quotedMicro)}) comes back to your wallet. What was released for verified checkpoints stays paid.
          </p>
        </ConfirmDialog>
      ) : null}
    </article>
  );
}
