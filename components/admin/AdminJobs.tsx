'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { progressLine, STATUS_LABELS, timelineText } from '../jobs/job-format';
import { fieldErrorsOf, messageOf, useTRPC } from '../trpc/client';
import { cyxText } from '../ui/money';
import { Loading } from '../ui/Spinner';
import { ReasonForm } from './ReasonForm';
import { jobActionDoneText, jobActionsFor, type AdminJobAction } from './admin-job-actions';

type View = 'all' | 'stuck' | 'failed';
const VIEWS: { view: View; label: string }[] = [
  { view: 'all', label: 'All' },
  { view: 'stuck', label: 'Stuck' },
  { view: 'failed', label: 'Failed' },
];
const STATUSES = Object.keys(STATUS_LABELS) as (keyof typeof STATUS_LABELS)[];
const LIVE_MS = 5_000;

const ACTION_LABELS: Record<AdminJobAction, string> = {
  requeue: 'Requeue from the last checkpoint',
  invalidate: 'Mark the result invalid (slash + refund)',
  cancel: 'Cancel with refund',
};

function ago(iso: string, now: number): string {
  const minutes = Math.floor((now - new Date(iso).getTime()) / 60_000);
  if (minutes < 1) return 'just now';
  if (minutes < 120) return `${minutes} min ago`;
  return `${Math.floor(minutes / 60)} h ago`;
}

/** Every network job: all, stuck (leased with no progress for N minutes) or failed, by state; one job's timeline and money, and the admin actions. */
export function AdminJobs() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [view, setView] = useState<View>('all');
  const [status, setStatus] = useState<(typeof STATUSES)[number] | undefined>(undefined);
  const [stuckMinutes, setStuckMinutes] = useState(15);
  const [cursors, setCursors] = useState<string[]>([]);
  const [openJob, setOpenJob] = useState<string | null>(null);
  const [action, setAction] = useState<{ jobId: string; kind: AdminJobAction } | null>(null);
  // What the last action did, said until the next one starts: the row may leave the view (a requeued job is no longer stuck).
  const [notice, setNotice] = useState<string | null>(null);
  const list = useQuery({ ...trpc.admin.jobs.list.queryOptions({ view, status, stuckMinutes: view === 'stuck' ? stuckMinutes : undefined, cursor: cursors.at(-1), limit: 50 }), refetchInterval: LIVE_MS });
  const done = (kind: AdminJobAction) => (result: Parameters<typeof jobActionDoneText>[1]) => {
    setAction(null);
    setNotice(jobActionDoneText(kind, result, cyxText));
    void queryClient.invalidateQueries({ queryKey: trpc.admin.jobs.pathKey() });
  };
  const cancel = useMutation(trpc.admin.jobs.cancel.mutationOptions({ onSuccess: done('cancel') }));
  const requeue = useMutation(trpc.admin.jobs.requeue.mutationOptions({ onSuccess: done('requeue') }));
  const invalidate = useMutation(trpc.admin.jobs.invalidate.mutationOptions({ onSuccess: done('invalidate') }));
  const running = action?.kind === 'cancel' ? cancel : action?.kind === 'requeue' ? requeue : invalidate;
  // "How long ago" is measured from when the list was read (it refreshes every LIVE_MS), keeping render pure.
  const now = list.dataUpdatedAt;

  function act(reason: string) {
    if (!action) return;
    setNotice(null);
    const input = { jobId: action.jobId, reason };
    if (action.kind === 'cancel') cancel.mutate(input);
    else if (action.kind === 'requeue') requeue.mutate(input);
    else invalidate.mutate(input);
  }
  const choose = (next: View) => (setView(next), setCursors([]));

  return (
    <section className="panel" aria-labelledby="admin-jobs-heading">
      <h2 id="admin-jobs-heading">Jobs</h2>
      <div className="actions" role="group" aria-label="Which jobs">
        {VIEWS.map((v) => (
          <button key={v.view} type="button" className="button secondary" aria-pressed={view === v.view} onClick={() => choose(v.view)}>
            {v.label}
          </button>
        ))}
        <label>
          State{' '}
          <select value={status ?? ''} onChange={(e) => (setStatus((e.target.value || undefined) as typeof status), setCursors([]))} aria-label="Filter by state">
            <option value="">any</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {STATUS_LABELS[s]}
                {list.data ? ` (${list.data.counts[s]})` : ''}
              </option>
            ))}
          </select>
        </label>
        {view === 'stuck' ? (
          <label>
            No progress for{' '}
            <input type="number" min={1} max={10080} value={stuckMinutes} onChange={(e) => setStuckMinutes(Math.max(1, Math.floor(Number(e.target.value) || 1)))} aria-label="Minutes without progress" style={{ width: '5em' }} />{' '}
            {stuckMinutes === 1 ? 'minute' : 'minutes'}
          </label>
        ) : null}
      </div>
      {notice ? <p role="status">{notice}</p> : null}
      {list.isPending ? <Loading label="Loading jobs…" /> : null}
      {list.isError ? <p className="form-error" role="alert">{messageOf(list.error)}</p> : null}
      {list.data && list.data.rows.length === 0 ? <p>{view === 'stuck' ? `No leased job has been silent for ${list.data.stuckMinutes} ${list.data.stuckMinutes === 1 ? 'minute' : 'minutes'}.` : 'No jobs match.'}</p> : null}
      {list.data && list.data.rows.length > 0 ? (
        <table className="table" data-testid="admin-jobs-table">
          <thead>
            <tr>
              <th scope="col">Job</th>
              <th scope="col">State</th>
              <th scope="col">Machine</th>
              <th scope="col">Progress</th>
              <th scope="col">Last activity</th>
              <th scope="col">Quoted / paid / refunded</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {list.data.rows.map((job) => (
              <tr key={job.id} data-job-id={job.id}>
                <td>
                  <button type="button" className="link-button" onClick={() => setOpenJob(openJob === job.id ? null : job.id)} aria-expanded={openJob === job.id}>
                    {job.modelName ?? 'model'}
                  </button>
                  <br />
                  <small>{job.id}</small>
                </td>
                <td>
                  {STATUS_LABELS[job.status]}
                  {job.failureReason ? <small> — {job.failureReason}</small> : null}
                </td>
                <td>{job.machineName ?? job.machineId ?? '—'}</td>
                <td>{progressLine(job)}</td>
                <td>{ago(job.lastActivityAt, now)}</td>
                <td>
                  {cyxText(job.quotedMicro)} / {cyxText(job.paidMicro)} / {cyxText(job.refundedMicro)}
                </td>
                <td>
                  <div className="actions">
                    {jobActionsFor(job.status).map((kind) => (
                      <button key={kind} type="button" className={kind === 'requeue' ? 'button secondary' : 'button danger'} onClick={() => setAction({ jobId: job.id, kind })}>
                        {kind === 'requeue' ? 'Requeue' : kind === 'invalidate' ? 'Invalidate' : 'Cancel'}
                      </button>
                    ))}
                  </div>
                  {action?.jobId === job.id ? (
                    <ReasonForm
                      label={ACTION_LABELS[action.kind]}
                      pending={running.isPending}
                      error={running.isError && !fieldErrorsOf(running.error).reason ? messageOf(running.error) : null}
                      fieldError={running.isError ? fieldErrorsOf(running.error).reason : undefined}
                      onSubmit={act}
                      onCancel={() => setAction(null)}
                    />
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      <div className="actions">
        {cursors.length > 0 ? <button type="button" className="button secondary" onClick={() => setCursors(cursors.slice(0, -1))}>Previous</button> : null}
        {list.data?.nextCursor ? <button type="button" className="button secondary" onClick={() => setCursors([...cursors, list.data.nextCursor!])}>Next</button> : null}
      </div>
      {openJob ? <AdminJobDetail jobId={openJob} /> : null}
    </section>
  );
}

/** One job: its timeline, checkpoints, escrow as the ledger holds it, and every ledger instruction made for it. */
function AdminJobDetail({ jobId }: { jobId: string }) {
  const trpc = useTRPC();
  const detail = useQuery({ ...trpc.admin.jobs.detail.queryOptions({ jobId }), refetchInterval: LIVE_MS });
  if (detail.isPending) return <Loading label="Loading the job…" />;
  if (detail.isError) return <p className="form-error" role="alert">{messageOf(detail.error)}</p>;
  const d = detail.data;
  const machineName = (id: string) => (id === d.job.machineId ? (d.job.machineName ?? id) : id);
  return (
    <div className="panel" data-testid="admin-job-detail" aria-label={`Job ${jobId}`}>
      <h3>
        {d.job.modelName ?? 'Job'} <small>{jobId}</small>
      </h3>
      <p>
        Owner {d.owner.name ?? d.owner.id} · {STATUS_LABELS[d.job.status]} · {progressLine(d.job)}
        {d.job.lastCheckpointStep !== null ? ` · last verified checkpoint at step ${d.job.lastCheckpointStep}` : ''}
      </p>
      <p>
        {d.escrow
          ? `Escrow: ${cyxText(d.escrow.depositMicro)} locked, ${cyxText(d.escrow.releasedMicro)} released, ${cyxText(d.escrow.refundedMicro)} refunded (${d.escrow.open ? 'open' : 'closed'})`
          : 'No escrow was locked for this job.'}
      </p>
      <h4>Timeline</h4>
      {d.timelineTruncated ? <p><small>Older transitions are not shown.</small></p> : null}
      <ol data-testid="admin-job-timeline">
        {d.timeline.map((t) => (
          <li key={t.version}>
            <time dateTime={t.at}>{new Date(t.at).toLocaleString()}</time> — {timelineText(t, machineName)}
          </li>
        ))}
      </ol>
      <h4>Checkpoints</h4>
      {d.checkpoints.length === 0 ? <p>None uploaded.</p> : null}
      <ul>
        {d.checkpoints.map((c) => (
          <li key={c.sha256}>
            Step {c.step} from {c.machineName ?? c.machineId}: {c.verified ? `verified, ${cyxText(c.releasedMicro)} released` : `did not verify${c.reason ? ` (${c.reason})` : ''}`}
          </li>
        ))}
      </ul>
      <h4>Ledger movements</h4>
      {d.ledger.length === 0 ? <p>No ledger instruction was made for this job.</p> : null}
      {d.ledger.length > 0 ? (
        <table className="table" data-testid="admin-job-ledger">
          <thead>
            <tr>
              <th scope="col">Seq</th>
              <th scope="col">Kind</th>
              <th scope="col">Moved</th>
              <th scope="col">Key</th>
            </tr>
          </thead>
          <tbody>
            {d.ledger.map((row) => (
              <tr key={row.key}>
                <td>{row.seq ?? '—'}</td>
                <td>{row.kind}</td>
                <td>{row.moves.length ? row.moves.map((m) => `${m.type.replaceAll('_', ' ')} ${cyxText(m.amount)}`).join(', ') : '—'}</td>
                <td>
                  <small>{row.key}</small>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </div>
  );
}
