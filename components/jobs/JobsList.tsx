'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { EmptyState } from '../ui/EmptyState';
import { cyxText } from '../ui/money';
import { Loading } from '../ui/Spinner';
import { messageOf, useTRPC } from '../trpc/client';
import { isDone, progressLine, STATUS_LABELS } from './job-format';

/** The caller's network jobs, newest first; running ones refresh while the page is open. */
export function JobsList() {
  const trpc = useTRPC();
  const jobs = useQuery(
    trpc.jobs.list.queryOptions(undefined, {
      // A list of many live jobs would be many streams: the list polls, the job page streams.
      refetchInterval: (query) => ((query.state.data ?? []).some((j) => !['PAYMENT_RELEASED', 'REFUNDED', 'FAILED', 'CANCELLED'].includes(j.status)) ? 5_000 : false),
    }),
  );
  if (jobs.isPending) return <Loading label="Loading your jobs…" />;
  if (jobs.isError) return <p className="form-error" role="alert">{messageOf(jobs.error)}</p>;
  if (jobs.data.length === 0) {
    return (
      <EmptyState title="No jobs yet" action={<Link className="button" href="/models">Open a model</Link>}>
        Open a model and use “Train on the network” in its training panel: you get a quote first, and the job shows here with its progress, cost and result.
      </EmptyState>
    );
  }
  return (
    <div className="table-scroll">
    <table className="table jobs-table" aria-label="Your jobs" data-testid="jobs-table">
      <thead>
        <tr>
          <th>Model</th>
          <th>Status</th>
          <th>Machine</th>
          <th>Progress</th>
          <th>Quoted</th>
          <th>Paid</th>
          <th>Refunded</th>
          <th>Submitted</th>
        </tr>
      </thead>
      <tbody>
        {jobs.data.map((job) => (
          <tr key={job.id} data-testid="job-row" data-status={job.status}>
            <td>
              <Link href={`/jobs/${job.id}`}>{job.modelName ?? 'a deleted model'}</Link>
            </td>
            <td>{STATUS_LABELS[job.status]}</td>
            <td>{job.machineName ?? (job.machineId ? job.machineId.slice(-6) : '—')}</td>
            <td className="job-progress">
              <progress max={1} value={job.progress ?? 0} aria-label={`Progress of the ${job.modelName ?? ''} job`} /> <span className="muted">{isDone(job.status) ? '100%' : job.progress === null ? progressLine(job) : `${Math.round(job.progress * 100)}%`}</span>
            </td>
            <td>{cyxText(job.quotedMicro)}</td>
            <td>{cyxText(job.paidMicro)}</td>
            <td>{cyxText(job.refundedMicro)}</td>
            <td>{new Date(job.createdAt).toLocaleString()}</td>
          </tr>
        ))}
      </tbody>
    </table>
    </div>
  );
}
