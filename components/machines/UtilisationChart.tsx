'use client';

import { useQuery } from '@tanstack/react-query';
import { CHART_COLORS } from '../charts/chart-data';
import { MetricChart, type MetricSeries } from '../charts/MetricChart';
import { useTRPC } from '../trpc/client';

export const LIVE_REFRESH_MS = 3_000;

/** CPU and busiest-GPU utilisation over the machine's recent heartbeats (seconds before the latest). */
export function UtilisationChart({ machineId }: { machineId: string }) {
  const trpc = useTRPC();
  const detail = useQuery({ ...trpc.machines.get.queryOptions({ id: machineId }), refetchInterval: LIVE_REFRESH_MS });
  const samples = detail.data?.samples ?? [];
  if (samples.length === 0) return <p className="muted">Utilisation appears here once the runner sends heartbeats.</p>;
  const last = new Date(samples.at(-1)!.at).getTime();
  const x = (at: string) => Math.round((new Date(at).getTime() - last) / 1000);
  const series: MetricSeries[] = [{ name: 'CPU %', color: CHART_COLORS[0], points: samples.map((s) => [x(s.at), s.cpuPercent] as const) }];
  const gpu = samples.filter((s) => s.gpuPercent !== null);
  if (gpu.length) series.push({ name: 'GPU % (busiest)', color: CHART_COLORS[2], points: gpu.map((s) => [x(s.at), s.gpuPercent!] as const) });
  return (
    <MetricChart
      title="Utilisation"
      description={`CPU${gpu.length ? ' and GPU' : ''} utilisation over the last ${samples.length} heartbeats; latest CPU ${samples.at(-1)!.cpuPercent.toFixed(0)}%.`}
      xLabel="seconds before the latest heartbeat"
      series={series}
      yDomain={[0, 100]}
      formatY={(y) => `${y.toFixed(0)}`}
      testId="utilisation-chart"
    />
  );
}
