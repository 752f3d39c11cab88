import os from 'node:os';

/** Cumulative CPU time over all cores, in ms, as node:os counts it. */
export interface CpuTimes {
  busy: number;
  total: number;
}

export function readCpuTimes(cpus: readonly os.CpuInfo[] = os.cpus()): CpuTimes {
  let busy = 0;
  let total = 0;
  for (const { times } of cpus) {
    const sum = times.user + times.nice + times.sys + times.irq + times.idle;
    total += sum;
    busy += sum - times.idle;
  }
  return { busy, total };
}

/** Busy share between two readings, 0..100; 0 when no time passed (first heartbeat). */
export function cpuPercentBetween(before: CpuTimes, after: CpuTimes): number {
  const total = after.total - before.total;
  if (!(total > 0)) return 0;
  return Math.min(100, Math.max(0, ((after.busy - before.busy) / total) * 100));
}
