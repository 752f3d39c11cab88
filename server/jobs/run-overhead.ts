import type { UnitSpeed } from './unit-speed';

/**
 * What a network run costs beyond its FLOPs. A small model's time is nearly all of this: the quote
 * once said 6 ms for a 5-epoch digits MLP (2.8e8 FLOPs at the CPU class's 5e10 FLOP/s) that took
 * 1.8 s from jobStart to completion on the demo runner (Dawn on SwiftShader, this 2-core machine),
 * and 2.6 s from its assignment. Measured there, from the job's event times:
 *
 * - START: assignment to jobStart 0.85 s (the next heartbeat, the graph, dataset and checkpoint
 *   downloads, kernel compilation), then the first epoch took twice the later ones; 1 s in all.
 * - PER STEP: 44 steps and a checkpoint took 0.2-0.3 s, where the FLOPs are 25 µs a step; a step's
 *   dispatches, queue submit and metric readback are ~2-5 ms on SwiftShader. 2 ms is taken: real
 *   GPUs' launches and readbacks cost about the same per step, and faster CPUs less.
 * - PER CHECKPOINT: weights and optimizer state serialized, hashed, uploaded, and verified on the
 *   validation split by the platform before the next is accepted: ~0.1-0.2 s for this model; 0.15 s.
 *
 * A unit's measured speed (measured-speed.ts) already holds the per-step and per-checkpoint costs:
 * it is FLOPs between verified checkpoints over the server's time between their arrivals. So only
 * start-up is added to a measured unit's time; an estimated unit gets all three.
 */
// Whole microseconds, so sums are exact: 300 steps and 100 checkpoints are 16.6 s (summed in float seconds, 16.600000000000001, which rounds a µCYX up).
export const RUN_START_US = 1_000_000;
export const RUN_STEP_US = 2_000;
export const RUN_CHECKPOINT_US = 150_000;

/** How a run is cut up: its optimizer steps and the checkpoints it uploads (one per epoch). */
export interface RunShape {
  steps: number;
  checkpoints: number;
}

/** Whole microseconds a run spends on more than its FLOPs on a unit of this speed. */
export function overheadMicros(shape: RunShape, speed: Pick<UnitSpeed, 'source'>): number {
  if (speed.source === 'measured') return RUN_START_US;
  return RUN_START_US + shape.steps * RUN_STEP_US + shape.checkpoints * RUN_CHECKPOINT_US;
}

/** The shape of a fresh run: floor(samples / batch) steps an epoch (the last partial batch is dropped, as training does), a checkpoint each epoch. */
export function freshRunShape(trainingSamples: number, batchSize: number, epochs: number): RunShape {
  return { steps: Math.floor(trainingSamples / batchSize) * epochs, checkpoints: epochs };
}

/** For the quote's words: "about 1 s to start, 2 ms a step and 0.15 s a checkpoint". */
export const RUN_OVERHEAD_WORDS = `about ${RUN_START_US / 1e6} s to start, ${RUN_STEP_US / 1e3} ms a step and ${RUN_CHECKPOINT_US / 1e6} s a checkpoint`;
