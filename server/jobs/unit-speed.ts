import type { JobDevice } from './collections';

/**
 * Training throughput assumed for a unit the platform has not measured yet, by device class. GPU:
 * what WGSL training kernels reach on a mid-range discrete card (a small fraction of its 10-40
 * TFLOP/s f32 peak, as small-batch training does). CPU: OpenBLAS ran a 1024² matmul at ~170 GFLOP/s
 * on two cores here (DESIGN.md), and training is mostly smaller, memory-bound work. Only their ratio
 * steers the scheduler; the time estimate uses both.
 */
export const DEVICE_CLASS_FLOPS_PER_SECOND: Readonly<Record<JobDevice, number>> = { gpu: 2e12, cpu: 5e10 };

export interface UnitSpeed {
  flopsPerSecond: number;
  source: 'measured' | 'device-class estimate';
  /** For a measured speed: how many verified checkpoint intervals it comes from. */
  measurements?: number;
}

/**
 * A unit's training throughput: the platform's own measurement (measured-speed.ts: FLOPs trained
 * between verified checkpoints over the server-side time between them, never the runner's reported
 * samples/s) wins over the device-class estimate.
 */
export function unitSpeed(unit: { kind: JobDevice; measuredFlopsPerSecond: number | null; measuredSamples?: number }): UnitSpeed {
  if (unit.measuredFlopsPerSecond !== null && Number.isFinite(unit.measuredFlopsPerSecond) && unit.measuredFlopsPerSecond > 0) {
    return { flopsPerSecond: unit.measuredFlopsPerSecond, source: 'measured', measurements: unit.measuredSamples ?? 1 };
  }
  return { flopsPerSecond: DEVICE_CLASS_FLOPS_PER_SECOND[unit.kind], source: 'device-class estimate' };
}

/** "1.2 GFLOP/s": a throughput in SI steps, for tables and titles. */
export function formatFlopsPerSecond(flopsPerSecond: number): string {
  const steps: [number, string][] = [[1e15, 'P'], [1e12, 'T'], [1e9, 'G'], [1e6, 'M'], [1e3, 'k']];
  for (const [size, prefix] of steps) {
    if (flopsPerSecond >= size) return `${(flopsPerSecond / size).toFixed(flopsPerSecond / size >= 100 ? 0 : 1)} ${prefix}FLOP/s`;
  }
  return `${flopsPerSecond.toFixed(0)} FLOP/s`;
}

/** "measured 1.2 GFLOP/s (4 checkpoints)" or "estimated 2.0 TFLOP/s (GPU class)". */
export function describeSpeed(speed: UnitSpeed, kind?: JobDevice): string {
  if (speed.source === 'measured') {
    const n = speed.measurements ?? 1;
    return `measured ${formatFlopsPerSecond(speed.flopsPerSecond)} (${n} interval${n === 1 ? '' : 's'})`;
  }
  return `estimated ${formatFlopsPerSecond(speed.flopsPerSecond)}${kind ? ` (${kind.toUpperCase()} class)` : ''}`;
}
