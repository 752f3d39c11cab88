'use client';

import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { INSTRUCTION_KINDS, type InstructionKind } from '@/programs/instructions';
import { messageOf, useTRPC } from '../trpc/client';
import { cyxText } from '../ui/money';
import { Loading } from '../ui/Spinner';
import { LedgerPanel } from './LedgerPanel';

const LIVE_MS = 5_000;

/** Supply and every invariant checked live, the system accounts, escrow and stake totals, the log, mint and replay. */
export function LedgerDashboard() {
  const trpc = useTRPC();
  const overview = useQuery({ ...trpc.admin.ledger.overview.queryOptions(), refetchInterval: LIVE_MS });
  return (
    <>
      <section className="panel" aria-labelledby="ledger-live-heading">
        <h2 id="ledger-live-heading">Live ledger</h2>
        {overview.isPending ? <Loading label="Reading the ledger…" /> : null}
        {overview.isError ? <p className="form-error" role="alert">{messageOf(overview.error)}</p> : null}
        {overview.data ? (
          <div data-testid="ledger-overview">
            <ul className="cards" aria-label="Ledger totals">
              <li className="card">
                <span className="card-value">{cyxText(overview.data.supply.minted)}</span>
                <span className="card-label">total supply (minted)</span>
              </li>
              {overview.data.systemAccounts.map((a) => (
                <li key={a.account} className="card">
                  <span className="card-value">{cyxText(a.balance)}</span>
                  <span className="card-label">{a.account}</span>
                </li>
              ))}
              <li className="card">
                <span className="card-value">{overview.data.seq.toLocaleString()}</span>
                <span className="card-label">instructions</span>
              </li>
            </ul>
            <h3>Invariants (checked now over the live view)</h3>
            <ul>
              {overview.data.invariants.map((i) => (
                <li key={i.name} data-ok={i.ok}>
                  {i.ok ? '✓' : '✗'} {i.name}
                  {i.detail ? ` — ${i.detail}` : ''}
                </li>
              ))}
            </ul>
            <p>
              Escrows: {overview.data.escrows.open} open holding {cyxText(overview.data.escrows.openRemaining)}, {overview.data.escrows.closed} closed; {cyxText(overview.data.escrows.deposited)} deposited,{' '}
              {cyxText(overview.data.escrows.released)} released ({cyxText(overview.data.escrows.fees)} in fees), {cyxText(overview.data.escrows.refunded)} refunded.
            </p>
            <p>
              Nodes: {overview.data.nodes.active} active, {overview.data.nodes.unstaking} unstaking, {overview.data.nodes.banned} banned, {overview.data.nodes.withdrawn} withdrawn; {cyxText(overview.data.nodes.staked)} staked,{' '}
              {cyxText(overview.data.nodes.slashed)} slashed in all.
            </p>
          </div>
        ) : null}
      </section>
      <LedgerPanel />
      <LogBrowser />
    </>
  );
}

interface LogQuery {
  kind?: InstructionKind;
  key?: string;
  seq?: number;
}

function LogBrowser() {
  const trpc = useTRPC();
  const [query, setQuery] = useState<LogQuery>({});
  const [befores, setBefores] = useState<number[]>([]);
  const log = useQuery(trpc.admin.ledger.log.queryOptions({ ...query, before: befores.at(-1), limit: 50 }));
  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const kind = String(form.get('kind') ?? '');
    const find = String(form.get('find') ?? '').trim();
    setBefores([]);
    setQuery({ kind: (INSTRUCTION_KINDS as readonly string[]).includes(kind) ? (kind as InstructionKind) : undefined, ...(find ? (/^\d+$/.test(find) ? { seq: Number(find) } : { key: find }) : {}) });
  }
  return (
    <section className="panel" aria-labelledby="ledger-log-heading">
      <h2 id="ledger-log-heading">Instruction log</h2>
      <form className="inline-form" onSubmit={submit} aria-label="Browse the instruction log">
        <div className="field">
          <label htmlFor="log-kind">Kind</label>
          <select id="log-kind" name="kind" defaultValue="">
            <option value="">Any</option>
            {INSTRUCTION_KINDS.map((k) => (
              <option key={k} value={k}>{k}</option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="log-find">Sequence number or key</label>
          <input id="log-find" name="find" maxLength={200} placeholder="exact; empty lists newest first" />
        </div>
        <button type="submit" className="button secondary">Show</button>
      </form>
      {log.isError ? <p className="form-error" role="alert">{messageOf(log.error)}</p> : null}
      {log.data ? (
        <table className="table" data-testid="ledger-log">
          <thead>
            <tr>
              <th scope="col">Seq</th>
              <th scope="col">Time</th>
              <th scope="col">Kind</th>
              <th scope="col">Key</th>
              <th scope="col">Fields</th>
            </tr>
          </thead>
          <tbody>
            {log.data.rows.map((r) => (
              <tr key={r.seq}>
                <td>{r.seq}</td>
                <td>{new Date(r.at).toLocaleString()}</td>
                <td>{r.kind}</td>
                <td>
                  <small>{r.key}</small>
                </td>
                <td>
                  <small>{Object.entries(r.fields).map(([k, v]) => `${k}=${String(v)}`).join(' · ')}</small>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
      {log.data && log.data.rows.length === 0 ? <p>No entries on these pages{log.data.nextBefore ? '; older ones may match.' : '.'}</p> : null}
      <div className="actions">
        {befores.length > 0 ? <button type="button" className="button secondary" onClick={() => setBefores(befores.slice(0, -1))}>Newer</button> : null}
        {log.data?.nextBefore ? <button type="button" className="button secondary" onClick={() => setBefores([...befores, log.data.nextBefore!])}>Older</button> : null}
      </div>
    </section>
  );
}
