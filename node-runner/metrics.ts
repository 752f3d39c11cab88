import os from 'node:os';
import { cpuPercentBetween, readCpuTimes, type CpuTimes } from './cpu-usage';
import type { Metrics } from '../server/machines/schema';
import { queryNvidiaMetrics, type NvidiaGpuMetrics } from './nvidia-smi';

/** What a heartbeat carries. */
export type { Metrics } from '../server/machines/schema';

export interface MetricsSources {
  cpuTimes: () => CpuTimes;
  ramUsedBytes: () => number;
  gpus: () => Promise<NvidiaGpuMetrics[]>;
  job: () => Metrics['job'];
}

export const systemMetricsSources: MetricsSources = {
  cpuTimes: () => readCpuTimes(),
  ramUsedBytes: () => os.totalmem() - os.freemem(),
  gpus: queryNvidiaMetrics,
  // Jobs come with the scheduler; until then the runner holds none.
  job: () => null,
};

/** A sampler: CPU % is measured between one heartbeat and the next. */
export function createMetricsSampler(sources: MetricsSources = systemMetricsSources): () => Promise<Metrics> {
  let last = sources.cpuTimes();
  return async () => {
    const now = sources.cpuTimes();
    const cpuPercent = cpuPercentBetween(last, now);
    last = now;
    return {
      cpuPercent: Math.round(cpuPercent * 10) / 10,
      ramUsedBytes: Math.max(0, sources.ramUsedBytes()),
      gpus: (await sources.gpus().catch(() => [])).filter((g) => g.index >= 0 && g.index <= 15).slice(0, 16),
      job: sources.job(),
    };
  };
}
