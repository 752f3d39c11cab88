'use client';

import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { StatusDot } from '../machines/StatusDot';
import { fieldErrorsOf, messageOf, useTRPC } from '../trpc/client';
import { cyxText } from '../ui/money';
import { Loading } from '../ui/Spinner';
import { ReasonForm } from './ReasonForm';
import { describeSpeed } from '../../server/jobs/unit-speed';

/** ", 1 job it held went back to the queue" (nothing when it held none). */
function requeuedText(n: number): string {
  return n === 0 ? '' : `; ${n === 1 ? '1 job' : `${n} jobs`} it held went back to the queue`;
}

const FILTERS = ['online', 'offline', 'busy', 'banned', 'maintenance'] as const;
type Filter = (typeof FILTERS)[number];
type Action = { machineId: string; kind: 'ban' | 'unban' | 'maintenance-on' | 'maintenance-off' };
const LIVE_MS = 5_000;
const newRequestId = () => crypto.randomUUID().replaceAll('-', '');

const ACTION_LABELS: Record<Action['kind'], string> = { ban: 'Ban (slashes the stake)', unban: 'Unban', 'maintenance-on': 'Put in maintenance', 'maintenance-off': 'End maintenance' };

/** Every provider's machine, filtered by status, with the actions that keep the fleet honest. */
export function FleetPanel() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [status, setStatus] = useState<Filter | undefined>(undefined);
  const [cursors, setCursors] = useState<string[]>([]);
  const list = useQuery({ ...trpc.admin.machines.list.queryOptions({ status, cursor: cursors.at(-1), limit: 50 }), refetchInterval: LIVE_MS });
  const [action, setAction] = useState<Action | null>(null);
  const [requestId, setRequestId] = useState(newRequestId);
  // What the last action did (a ban's slash in particular), said until the next one starts.
  const [notice, setNotice] = useState<string | null>(null);
  const nameOf = (machineId: string) => list.data?.rows.find((m) => m.id === machineId)?.name ?? machineId;
  const done = (text: (machineId: string) => string) => (_result: unknown, input: { machineId: string }) => {
    setAction(null);
    setRequestId(newRequestId());
    setNotice(text(input.machineId));
    void queryClient.invalidateQueries({ queryKey: trpc.admin.machines.list.pathKey() });
  };
  const ban = useMutation(
    trpc.admin.machines.ban.mutationOptions({
      onSuccess: (result, input) => done((id) => `Banned ${nameOf(id)}: ${cyxText(result.slashedMicro)} slashed from its stake${requeuedText(result.requeued.length)}.`)(result, input),
    }),
  );
  const unban = useMutation(trpc.admin.machines.unban.mutationOptions({ onSuccess: done((id) => `Unbanned ${nameOf(id)}: it takes work again once its owner stakes for it.`) }));
  const maintenance = useMutation(
    trpc.admin.machines.setMaintenance.mutationOptions({ onSuccess: (result, input) => done((id) => `${nameOf(id)} ${input.on ? 'is in maintenance' : 'is out of maintenance'}.`)(result, input) }),
  );
  const running = action?.kind === 'ban' ? ban : action?.kind === 'unban' ? unban : maintenance;

  function act(reason: string) {
    if (!action) return;
    setNotice(null);
    const { machineId } = action;
    if (action.kind === 'ban') ban.mutate({ machineId, reason, requestId });
    else if (action.kind === 'unban') unban.mutate({ machineId, reason, requestId });
    else maintenance.mutate({ machineId, on: action.kind === 'maintenance-on', reason });
  }

  return (
    <section className="panel" aria-labelledby="fleet-heading">
      <h2 id="fleet-heading">Machines</h2>
      <div className="actions" role="group" aria-label="Filter machines by status">
        <button type="button" className="button secondary" aria-pressed={status === undefined} onClick={() => (setStatus(undefined), setCursors([]))}>
          All
        </button>
        {FILTERS.map((f) => (
          <button key={f} type="button" className="button secondary" aria-pressed={status === f} onClick={() => (setStatus(f), setCursors([]))}>
            {f[0]!.toUpperCase() + f.slice(1)}
            {list.data ? ` (${f === 'offline' ? list.data.counts.offline + list.data.counts.inactive : list.data.counts[f]})` : ''}
          </button>
        ))}
      </div>
      {notice ? <p role="status">{notice}</p> : null}
      {list.isPending ? <Loading label="Loading machines…" /> : null}
      {list.isError ? <p className="form-error" role="alert">{messageOf(list.error)}</p> : null}
      {list.data && list.data.rows.length === 0 ? <p>No machines match.</p> : null}
      {list.data && list.data.rows.length > 0 ? (
        <table className="table" data-testid="fleet-table">
          <thead>
            <tr>
              <th scope="col">Machine</th>
              <th scope="col">Owner</th>
              <th scope="col">Status</th>
              <th scope="col">Backend</th>
              <th scope="col">Stake</th>
              <th scope="col">Reputation</th>
              <th scope="col">Slashed</th>
              <th scope="col">Current job</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {list.data.rows.map((m) => (
              <tr key={m.id} data-machine-id={m.id}>
                <td>
                  {m.name}
                  <br />
                  <small>{m.id}</small>
                </td>
                <td>{m.owner.name}</td>
                <td>
                  <StatusDot status={m.status} />
                  {m.banReason ? <small> — {m.banReason}</small> : null}
                </td>
                <td>{m.backend ?? '—'}</td>
                <td>
                  {cyxText(m.registry.stakeMicro)} <small>({m.registry.status})</small>
                </td>
                <td>
                  {m.registry.successRate === null ? 'no jobs yet' : `${Math.round(m.registry.successRate * 100)}% of ${m.registry.jobs}`}
                  {m.registry.consecutiveFailures > 0 ? <small> · {m.registry.consecutiveFailures} failed in a row</small> : null}
                </td>
                <td>{cyxText(m.registry.slashedMicro)}</td>
                <td>{m.currentJobId ?? '—'}</td>
                <td>
                  <div className="actions">
                    {m.status === 'banned' ? (
                      <button type="button" className="button secondary" onClick={() => setAction({ machineId: m.id, kind: 'unban' })}>Unban</button>
                    ) : (
                      <>
                        <button type="button" className="button secondary" onClick={() => setAction({ machineId: m.id, kind: m.maintenance ? 'maintenance-off' : 'maintenance-on' })}>
                          {m.maintenance ? 'End maintenance' : 'Maintenance'}
                        </button>
                        <button type="button" className="button danger" onClick={() => setAction({ machineId: m.id, kind: 'ban' })}>Ban</button>
                      </>
                    )}
                  </div>
                  {action?.machineId === m.id ? (
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
      <ExplainJob />
    </section>
  );
}

/** The scheduler's score breakdown for one job against every unit (read-only). */
function ExplainJob() {
  const trpc = useTRPC();
  const [jobId, setJobId] = useState<string | null>(null);
  const explained = useQuery({ ...trpc.admin.machines.explainJob.queryOptions({ jobId: jobId ?? '' }), enabled: jobId !== null });
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    setJobId(String(new FormData(event.currentTarget).get('jobId') ?? '').trim());
  }
  return (
    <>
      <h3>Where would a job go?</h3>
      <form className="inline-form" onSubmit={submit} aria-label="Explain a job's scheduling">
        <div className="field">
          <label htmlFor="explain-job-id">Job id</label>
          <input id="explain-job-id" name="jobId" maxLength={64} />
        </div>
        <button type="submit" className="button secondary">Explain</button>
      </form>
      {explained.isError ? <p className="form-error" role="alert">{messageOf(explained.error)}</p> : null}
      {explained.data ? (
        <div data-testid="explain-job">
          <p role="status">{explained.data.why}</p>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Unit</th>
                <th scope="col">Score</th>
                <th scope="col">Parts (device, memory, reputation, queue, speed, price)</th>
                <th scope="col">Speed</th>
                <th scope="col">Passed over</th>
              </tr>
            </thead>
            <tbody>
              {explained.data.candidates.map((c) => (
                <tr key={c.unitId}>
                  <td>
                    {c.device} <small>{c.unitId}</small>
                  </td>
                  <td>{c.score === null ? '—' : c.score.toFixed(3)}</td>
                  <td>{c.parts ? Object.values(c.parts).map((v) => v.toFixed(2)).join(' · ') : '—'}</td>
                  <td data-testid="explain-speed">{describeSpeed(c.speed, c.kind)}</td>
                  <td>{c.passedOver ? `${c.passedOver.code}: ${c.passedOver.message}` : '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </>
  );
}
