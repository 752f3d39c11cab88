import { describe, expect, it } from 'vitest';
import { AppError } from '../errors/app-error';
import { costFor, quoteOver } from './quote';
import { freshRunShape, overheadMicros, RUN_CHECKPOINT_US, RUN_START_US, RUN_STEP_US } from './run-overhead';
import type { SchedulableUnit } from './schedulable-units';

const GiB = 2 ** 30;

function unit(over: Partial<SchedulableUnit>): SchedulableUnit {
  return {
    machineId: 'm1',
    unitId: 'u1',
    kind: 'gpu',
    device: 'Test GPU',
    vramOffered: 8 * GiB,
    vramReserved: 0,
    unitStatus: 'active',
    machineStatus: 'online',
    pricePerHourMicro: '3600000',
    machineJobs: 0,
    machineJobsSucceeded: 0,
    heldBy: null,
    machineBusyUnits: 0,
    machineActiveUnits: 1,
    measuredFlopsPerSecond: 1e6,
    ...over,
  };
}

function refusal(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error('expected a refusal');
}

// The MLP 4-8-3 trains at 421 FLOPs per example (compute/model-facts), 120 training rows, 10 epochs.
const FLOPS = 421 * 120 * 10;
// At batch 16: 7 steps an epoch (the last 8 rows are a partial batch, dropped), 70 in all, 10 checkpoints.
const SHAPE = freshRunShape(120, 16, 10);

describe('quoteOver', () => {
  it('prices each match at ceil(price × time) and locks the dearest estimate', () => {
    const fast = unit({ unitId: 'fast', measuredFlopsPerSecond: 1e6, pricePerHourMicro: '3600000' }); // 1 µCYX per ms
    const slow = unit({ unitId: 'slow', machineId: 'm2', measuredFlopsPerSecond: 2.5e5, pricePerHourMicro: '1800000' });
    const quote = quoteOver([slow, fast], { device: 'gpu', minVramBytes: 4 * GiB }, '4000000', FLOPS, SHAPE);
    expect(quote.trainingFlops).toBe(505_200);
    // Measured units add only the 1 s start-up. fast: 1505200 µs × 3.6e6 µCYX/h = 1505.2 → 1506;
    // slow: 3020800 µs × 1.8e6 µCYX/h = 1510.4 → 1511.
    expect(quote.units.map((u) => [u.unitId, u.seconds, u.overheadSeconds, u.costMicro])).toEqual([
      ['fast', 1.5052, 1, '1506'],
      ['slow', 3.0208, 1, '1511'],
    ]);
    expect(quote.seconds).toEqual({ min: 1.5052, max: 3.0208 });
    expect(quote.costMicro).toEqual({ min: '1506', max: '1511' });
    expect(quote.escrowMicro).toBe('1511');
    // Never above the cap × the slowest match's time: 4e6 µCYX/h × 3.0208 s = 3356.4 µCYX.
    expect(BigInt(quote.escrowMicro)).toBeLessThanOrEqual(costFor(4_000_000n, FLOPS, 2.5e5, 1_000_000));
  });

  it('uses the device-class speed for units nobody measured, with their steps and checkpoints, and lets a CPU job use a GPU', () => {
    const gpu = unit({ unitId: 'gpu', measuredFlopsPerSecond: null });
    const cpu = unit({ unitId: 'cpu', kind: 'cpu', measuredFlopsPerSecond: null });
    const quote = quoteOver([gpu, cpu], { device: 'cpu', minVramBytes: 0 }, '3600000', FLOPS, SHAPE);
    // 1 s + 70 × 2 ms + 10 × 0.15 s = 2.64 s, far above the FLOPs' 10 µs on a CPU.
    const overhead = (RUN_START_US + 70 * RUN_STEP_US + 10 * RUN_CHECKPOINT_US) / 1e6;
    expect(overhead).toBe(2.64);
    expect(quote.units.map((u) => [u.unitId, u.speed.source, u.overheadSeconds])).toEqual([
      ['gpu', 'device-class estimate', 2.64],
      ['cpu', 'device-class estimate', 2.64],
    ]);
    expect(quote.units[0]!.seconds).toBeCloseTo(FLOPS / 2e12 + overhead, 12);
    expect(quote.units[1]!.seconds).toBeCloseTo(FLOPS / 5e10 + overhead, 12);
    // cpu: ceil(505200e6 / 5e10) = 11 µs + 2640000 µs at 1 µCYX/ms → 2640.011 → 2641 µCYX.
    expect(quote.escrowMicro).toBe('2641');
  });

  it('counts steps by whole batches and a checkpoint per epoch', () => {
    expect(freshRunShape(1438, 32, 5)).toEqual({ steps: 220, checkpoints: 5 });
    expect(freshRunShape(10, 32, 3)).toEqual({ steps: 0, checkpoints: 3 });
    expect(overheadMicros({ steps: 220, checkpoints: 5 }, { source: 'measured' })).toBe(1_000_000);
    expect(overheadMicros({ steps: 220, checkpoints: 5 }, { source: 'device-class estimate' })).toBe(1_000_000 + 440_000 + 750_000);
  });

  it('says which requirement no machine met', () => {
    const quote = (units: SchedulableUnit[], device: 'gpu' | 'cpu', min: number, cap: string) => refusal(() => quoteOver(units, { device, minVramBytes: min }, cap, FLOPS, SHAPE));
    expect(quote([], 'gpu', 0, '1')).toMatchObject({ code: 'NO_MATCHING_MACHINE', message: expect.stringContaining('online') });
    expect(quote([unit({ machineStatus: 'offline' }), unit({ unitStatus: 'paused' })], 'gpu', 0, '9999999')).toMatchObject({ code: 'NO_MATCHING_MACHINE', field: undefined });
    expect(quote([unit({ kind: 'cpu' })], 'gpu', 0, '9999999')).toMatchObject({ code: 'NO_MATCHING_MACHINE', field: 'requirements.device' });
    expect(quote([unit({ vramOffered: 8 * GiB, vramReserved: 2 * GiB })], 'gpu', 7 * GiB, '9999999')).toMatchObject({
      code: 'NO_MATCHING_MACHINE',
      field: 'requirements.minVramBytes',
      message: 'No online GPU has 7 GiB free; the most any has is 6 GiB.',
    });
    expect(quote([unit({ pricePerHourMicro: '5000000' }), unit({ pricePerHourMicro: '4000000' })], 'gpu', 0, '3000000')).toMatchObject({
      code: 'NO_MATCHING_MACHINE',
      field: 'priceCapMicro',
      message: expect.stringContaining('the cheapest is 4 CYX/h'),
    });
  });

  it('counts a unit running another job as a match (the job waits), but not one in maintenance', () => {
    const quote = quoteOver([unit({ unitId: 'held', heldBy: 'job1' }), unit({ unitId: 'down', machineStatus: 'maintenance' })], { device: 'gpu', minVramBytes: 0 }, '3600000', FLOPS, SHAPE);
    expect(quote.units.map((u) => u.unitId)).toEqual(['held']);
  });
});
