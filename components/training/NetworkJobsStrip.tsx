'use client';

import { useQuery } from '@tanstack/react-query';
import Link from 'next/link';
import { useEffect, useRef } from 'react';
import { isDone, progressLine, STATUS_LABELS } from '../jobs/job-format';
import { useJobWatch, type JobListItem } from '../jobs/use-job-watch';
import { messageOf, useTRPC } from '../trpc/client';

/** How many of the model's jobs the strip shows, newest first (the Jobs page has the rest). */
const STRIP_JOBS = 5;
const SETTLED = new Set(['PAYMENT_RELEASED', 'REFUNDED', 'FAILED', 'CANCELLED']);

/** One job, live while it is not settled (the watch ends by itself once it is). */
function StripRow({ job, onSettled }: { job: JobListItem; onSettled: () => void }) {
  const live = useJobWatch(SETTLED.has(job.status) ? null : job.id, false);
  const view = live.job ?? job;
  const told = useRef(false);
  useEffect(() => {
    // Once: the list reloads so the settled row shows its final numbers without a stream.
    if (live.final && !told.current) {
      told.current = true;
      onSettled();
    }
  }, [live.final, onSettled]);
  return (
    <li data-testid="network-job" data-status={view.status}>
      <Link href={`/jobs/${job.id}`}>{STATUS_LABELS[view.status]}</Link>
      {view.progress !== null && !isDone(view.status) ? <progress max={1} value={view.progress} aria-label="Job progress" /> : null}
      <span className="muted"> {progressLine(view)}</span>
      {view.latest?.loss != null ? <span className="muted"> · loss {view.latest.loss.toFixed(4)}</span> : null}
    </li>
  );
}

/**
 * The model's network jobs, for everyone in the room: whoever sent one, collaborators see its
 * status and progress live (jobs.watch over SSE, one stream per job still running).
 */
export function NetworkJobsStrip({ modelId }: { modelId: string }) {
  const trpc = useTRPC();
  const jobs = useQuery(trpc.jobs.list.queryOptions({ modelId }, { refetchInterval: 15_000 }));
  if (jobs.isError) return <p className="form-error">Network jobs: {messageOf(jobs.error)}</p>;
  const shown = (jobs.data ?? []).slice(0, STRIP_JOBS);
  if (shown.length === 0) return null;
  return (
    <div className="peer-runs network-jobs" aria-label="Network jobs" data-testid="network-jobs">
      <h3>Network jobs</h3>
      <ul>
        {shown.map((job) => (
          <StripRow key={job.id} job={job} onSettled={() => void jobs.refetch()} />
        ))}
      </ul>
      {(jobs.data?.length ?? 0) > STRIP_JOBS ? <Link href="/jobs">All jobs</Link> : null}
    </div>
  );
}
