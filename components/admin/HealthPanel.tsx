'use client';

import { useQuery } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import { messageOf, useTRPC } from '../trpc/client';
import { formatBytes } from '../ui/format-bytes';
import { Loading } from '../ui/Spinner';
import { Sparkline } from './Sparkline';

const LIVE_MS = 5_000;
/** Readings kept for the live charts: ten minutes at one every five seconds. */
const KEPT = 120;

interface Reading {
  at: number;
  dbLatencyMs: number;
  sockets: number;
  bytesPerSecond: number | null;
  queued: number;
  heartbeatsPerSecond: number;
  machinesOnline: number;
}

/** Database, collaboration, scheduler, heartbeats and the API by procedure, polled every 5 s with small charts. */
export function HealthPanel() {
  const trpc = useTRPC();
  const health = useQuery({ ...trpc.admin.health.queryOptions(), refetchInterval: LIVE_MS });
  const [readings, setReadings] = useState<Reading[]>([]);
  const lastBytes = useRef<{ at: number; total: number } | null>(null);
  const data = health.data;

  useEffect(() => {
    if (!data) return;
    const total = data.collabBytes.in + data.collabBytes.out;
    const previous = lastBytes.current;
    lastBytes.current = { at: data.at, total };
    const bytesPerSecond = previous && data.at > previous.at ? Math.max(0, ((total - previous.total) * 1000) / (data.at - previous.at)) : null;
    const reading: Reading = {
      at: data.at,
      dbLatencyMs: data.database.latencyMs,
      sockets: data.collaboration?.sockets ?? 0,
      bytesPerSecond,
      queued: data.scheduler.queued + data.scheduler.escrowed,
      heartbeatsPerSecond: data.heartbeats.perSecond,
      machinesOnline: data.machinesOnline,
    };
    setReadings((rs) => [...rs, reading].slice(-KEPT));
  }, [data]);

  if (health.isPending) return <Loading label="Reading the platform's health…" />;
  if (health.isError) return <p className="form-error" role="alert">{messageOf(health.error)}</p>;
  const h = health.data;
  const series = (pick: (r: Reading) => number | null) => readings.map(pick).filter((v): v is number => v !== null);
  const latest = readings.at(-1);
  return (
    <section className="panel" aria-labelledby="health-heading" data-testid="health">
      <h2 id="health-heading">Health</h2>
      <ul className="cards" aria-label="Platform health">
        <li className="card" data-testid="health-database">
          <span className="card-value">{h.database.latencyMs.toFixed(1)} ms</span>
          <span className="card-label">
            {h.database.engine} {h.database.version} · {h.database.dataBytes === null ? 'size unknown' : formatBytes(h.database.dataBytes)} data
            {h.database.collections === null ? '' : ` · ${h.database.collections} collections`}
          </span>
          <Sparkline values={series((r) => r.dbLatencyMs)} label="database latency (ms)" />
        </li>
        <li className="card" data-testid="health-collab">
          <span className="card-value">{h.collaboration ? `${h.collaboration.rooms} rooms · ${h.collaboration.sockets} sockets` : 'not in this process'}</span>
          <span className="card-label">collaboration{latest?.bytesPerSecond != null ? ` · ${formatBytes(Math.round(latest.bytesPerSecond))}/s` : ''}</span>
          <Sparkline values={series((r) => r.bytesPerSecond)} label="collaboration bytes per second" />
        </li>
        <li className="card" data-testid="health-scheduler">
          <span className="card-value">{h.scheduler.queued + h.scheduler.escrowed} queued</span>
          <span className="card-label">
            {h.scheduler.assigned} assigned · {h.scheduler.running} running · {h.scheduler.leasesExpiringSoon} leases expiring within 30 s · time to assign{' '}
            {h.scheduler.timeToAssign.samples === 0 ? 'not measured yet' : `p50 ${(h.scheduler.timeToAssign.p50Ms! / 1000).toFixed(1)} s, p99 ${(h.scheduler.timeToAssign.p99Ms! / 1000).toFixed(1)} s (${h.scheduler.timeToAssign.samples} jobs)`}
          </span>
          <Sparkline values={series((r) => r.queued)} label="queue depth" />
        </li>
        <li className="card" data-testid="health-heartbeats">
          <span className="card-value">{h.heartbeats.perSecond.toFixed(2)}/s</span>
          <span className="card-label">heartbeats · {h.machinesOnline} machines online</span>
          <Sparkline values={series((r) => r.heartbeatsPerSecond)} label="heartbeats per second" />
        </li>
      </ul>
      <h3>API over the last hour (this process)</h3>
      <table className="table" data-testid="health-procedures">
        <thead>
          <tr>
            <th scope="col">Procedure</th>
            <th scope="col">Calls</th>
            <th scope="col">Errors</th>
            <th scope="col">Server errors</th>
            <th scope="col">p50</th>
            <th scope="col">p99</th>
            <th scope="col">Calls per minute</th>
          </tr>
        </thead>
        <tbody>
          {h.procedures.map((p) => (
            <tr key={p.path} data-path={p.path}>
              <td>{p.path}</td>
              <td>{p.calls}</td>
              <td>
                {p.errors} ({(p.errorRate * 100).toFixed(1)}%)
              </td>
              <td>{p.serverErrors}</td>
              <td>{p.p50Ms === null ? '—' : `${p.p50Ms} ms`}</td>
              <td>{p.p99Ms === null ? '—' : `${p.p99Ms} ms`}</td>
              <td>
                <Sparkline values={p.minutes.map((m) => m.calls)} label={`${p.path} calls per minute`} width={120} height={20} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
