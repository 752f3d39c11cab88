'use client';

import { useQuery } from '@tanstack/react-query';
import { messageOf, useTRPC } from '../trpc/client';
import { Loading } from '../ui/Spinner';
import { MachineCard } from './MachineCard';
import { RunnerSetup } from './RunnerSetup';
import { LIVE_REFRESH_MS } from './UtilisationChart';

/** My machines: refreshed every few seconds, so statuses follow the heartbeats. */
export function MachinesPanel() {
  const trpc = useTRPC();
  const list = useQuery({ ...trpc.machines.list.queryOptions(), refetchInterval: LIVE_REFRESH_MS });
  if (list.isPending) return <Loading label="Loading machines…" />;
  if (list.isError) {
    return (
      <div className="panel" role="alert">
        <p className="form-error">Could not load your machines: {messageOf(list.error)}</p>
        <button type="button" className="button secondary" onClick={() => void list.refetch()}>
          Try again
        </button>
      </div>
    );
  }
  const { machines } = list.data;
  if (machines.length === 0) return <RunnerSetup />;
  return (
    <>
      {machines.map((machine) => (
        <MachineCard key={machine.id} machine={machine} now={list.dataUpdatedAt} />
      ))}
      <details className="panel">
        <summary>Connect another machine</summary>
        <RunnerSetup title={null} />
      </details>
    </>
  );
}
