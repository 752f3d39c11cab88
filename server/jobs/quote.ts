import { formatCyx } from '../../programs';
import { AppError } from '../errors/app-error';
import type { JobRequirements } from './collections';
import { overheadMicros, type RunShape } from './run-overhead';
import type { SchedulableUnit } from './schedulable-units';
import { unitSpeed, type UnitSpeed } from './unit-speed';

/**
 * The network quote's arithmetic, pure: the run's training FLOPs over every compute unit that could
 * take the job → time and cost per unit, the range over them, and the escrow to lock.
 *
 * - A unit matches when its machine is online (or busy) and not in maintenance, the unit is active,
 *   its kind fits (a GPU job needs a GPU; a CPU job runs on either), its free memory (vramOffered −
 *   vramReserved) is at least minVramBytes and its price is at most the cap. Units running another
 *   job still match: the job waits for one.
 * - time = trainingFlops / the unit's speed (unit-speed.ts: measured, else the device-class figure)
 *   + the run's overhead on it (run-overhead.ts: start-up, and for an unmeasured unit its steps and
 *   checkpoints too); cost = ceil(price per hour × time), in whole µCYX, on time rounded up to whole
 *   microseconds.
 * - ESCROW RULE: the dearest match's cost (max over the matches), at least 1 µCYX (the ledger locks
 *   only positive amounts). Each match's price is at most the cap, so this never exceeds cap × the
 *   slowest match's time: whichever matching unit the scheduler picks, the escrow covers its estimate.
 */

export interface QuotedUnit {
  machineId: string;
  unitId: string;
  device: string;
  kind: 'gpu' | 'cpu';
  pricePerHourMicro: string;
  speed: UnitSpeed;
  /** FLOPs time plus overheadSeconds. */
  seconds: number;
  /** Of `seconds`, what is not FLOPs: start-up, steps' launches and checkpoints (run-overhead.ts). */
  overheadSeconds: number;
  costMicro: string;
}

export interface QuoteCore {
  trainingFlops: number;
  /** Matching units, fastest first. */
  units: QuotedUnit[];
  seconds: { min: number; max: number };
  costMicro: { min: string; max: string };
  escrowMicro: string;
}

const MICROSECONDS_PER_HOUR = 3_600_000_000n;

function gib(bytes: number): string {
  return `${(bytes / 2 ** 30).toFixed(bytes % 2 ** 30 === 0 ? 0 : 2)} GiB`;
}

function noMatch(message: string, field?: string): AppError {
  return new AppError('BAD_REQUEST', 'NO_MATCHING_MACHINE', message, field);
}

/**
 * Whole µCYX for `trainingFlops` at `flopsPerSecond` plus `overheadMicros` (whole µs), at `pricePerHourMicro`,
 * rounded up (time to whole microseconds, then the cost) so an estimate never undercharges. The
 * FLOPs' time is computed from the FLOPs, not from seconds, so 505200 FLOPs at 1e6 FLOP/s is exactly
 * 505200 µs.
 */
export function costFor(pricePerHourMicro: bigint, trainingFlops: number, flopsPerSecond: number, overheadMicros: number): bigint {
  const micros = BigInt(Math.ceil((trainingFlops * 1e6) / flopsPerSecond)) + BigInt(overheadMicros);
  return (pricePerHourMicro * micros + MICROSECONDS_PER_HOUR - 1n) / MICROSECONDS_PER_HOUR;
}

/**
 * The units that fit, or NO_MATCHING_MACHINE naming the first requirement none met (online and
 * active, then device, then memory, then price), with the best any unit offered.
 */
export function matchingUnits(units: readonly SchedulableUnit[], requirements: JobRequirements, priceCapMicro: string): SchedulableUnit[] {
  const up = units.filter((u) => u.unitStatus === 'active' && (u.machineStatus === 'online' || u.machineStatus === 'busy'));
  if (up.length === 0) throw noMatch('No machine is online with an active compute unit right now.');
  const fit = up.filter((u) => requirements.device === 'cpu' || u.kind === 'gpu');
  if (fit.length === 0) throw noMatch('No online machine offers a GPU right now; ask for a CPU, or try later.', 'requirements.device');
  const free = (u: SchedulableUnit) => u.vramOffered - u.vramReserved;
  const roomy = fit.filter((u) => free(u) >= requirements.minVramBytes);
  if (roomy.length === 0) {
    const most = Math.max(...fit.map(free));
    const what = requirements.device === 'gpu' ? 'GPU' : 'unit';
    throw noMatch(`No online ${what} has ${gib(requirements.minVramBytes)} free; the most any has is ${gib(most)}.`, 'requirements.minVramBytes');
  }
  const cap = BigInt(priceCapMicro);
  const affordable = roomy.filter((u) => BigInt(u.pricePerHourMicro) <= cap);
  if (affordable.length === 0) {
    const cheapest = roomy.map((u) => BigInt(u.pricePerHourMicro)).reduce((a, b) => (b < a ? b : a));
    throw noMatch(`Every machine that fits costs more than your cap of ${formatCyx(cap)}/h; the cheapest is ${formatCyx(cheapest)}/h.`, 'priceCapMicro');
  }
  return affordable;
}

export function quoteOver(units: readonly SchedulableUnit[], requirements: JobRequirements, priceCapMicro: string, trainingFlops: number, shape: RunShape): QuoteCore {
  if (!(Number.isFinite(trainingFlops) && trainingFlops > 0)) throw new AppError('BAD_REQUEST', 'INVALID_TRAINING_FLOPS', 'The run has no training FLOPs to quote.');
  const quoted = matchingUnits(units, requirements, priceCapMicro)
    .map((u): QuotedUnit => {
      const speed = unitSpeed(u);
      const overhead = overheadMicros(shape, speed);
      // Summed in microseconds, as costFor sums them.
      const seconds = ((trainingFlops * 1e6) / speed.flopsPerSecond + overhead) / 1e6;
      const costMicro = costFor(BigInt(u.pricePerHourMicro), trainingFlops, speed.flopsPerSecond, overhead).toString();
      return { machineId: u.machineId, unitId: u.unitId, device: u.device, kind: u.kind, pricePerHourMicro: u.pricePerHourMicro, speed, seconds, overheadSeconds: overhead / 1e6, costMicro };
    })
    .sort((a, b) => a.seconds - b.seconds || (BigInt(a.costMicro) < BigInt(b.costMicro) ? -1 : 1));
  const costs = quoted.map((u) => BigInt(u.costMicro));
  const min = costs.reduce((a, b) => (b < a ? b : a));
  const max = costs.reduce((a, b) => (b > a ? b : a));
  return {
    trainingFlops,
    units: quoted,
    seconds: { min: quoted[0]!.seconds, max: quoted[quoted.length - 1]!.seconds },
    costMicro: { min: min.toString(), max: max.toString() },
    escrowMicro: (max > 0n ? max : 1n).toString(),
  };
}
