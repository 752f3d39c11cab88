import type { JobDevice } from './collections';

/**
 * Training throughput assumed for a unit nobody has measured, by device class: no runner reports
 * its throughput yet, so these stand in. GPU: what WGSL training kernels reach on a mid-range
 * discrete card (a small fraction of its 10-40 TFLOP/s f32 peak, as small-batch training does).
 * CPU: OpenBLAS ran a 1024² matmul at ~170 GFLOP/s on two cores here (DESIGN.md), and training is
 * mostly smaller, memory-bound work. Only their ratio steers the scheduler; the time estimate uses both.
 */
export const DEVICE_CLASS_FLOPS_PER_SECOND: Readonly<Record<JobDevice, number>> = { gpu: 2e12, cpu: 5e10 };

export interface UnitSpeed {
  flopsPerSecond: number;
  source: 'measured' | 'device-class estimate';
}

/**
 * The seam for measured speed: a unit's measured training throughput (from the samples/s its
 * runner reports × the job's FLOPs per sample, once runners report it) wins over the estimate.
 */
export function unitSpeed(unit: { kind: JobDevice; measuredFlopsPerSecond: number | null }): UnitSpeed {
  if (unit.measuredFlopsPerSecond !== null && Number.isFinite(unit.measuredFlopsPerSecond) && unit.measuredFlopsPerSecond > 0) {
    return { flopsPerSecond: unit.measuredFlopsPerSecond, source: 'measured' };
  }
  return { flopsPerSecond: DEVICE_CLASS_FLOPS_PER_SECOND[unit.kind], source: 'device-class estimate' };
}
