import type { JobDoc } from './collections';
import type { SchedulableUnit } from './schedulable-units';
import { unitSpeed, type UnitSpeed } from './unit-speed';

/**
 * How much each part counts in a candidate's score (they sum to 1; each part is 0..1). Speed and
 * reputation lead: a fast, reliable machine finishes sooner and is less likely to be re-run.
 */
export const SCORE_WEIGHTS = { device: 0.2, memory: 0.1, reputation: 0.25, queue: 0.1, speed: 0.25, price: 0.1 } as const;
export type ScorePart = keyof typeof SCORE_WEIGHTS;
export type ScoreParts = Record<ScorePart, number>;

/** A machine with no jobs reads as this many jobs of which this many succeeded (a 0.8 prior), so one early failure does not sink it. */
export const REPUTATION_PRIOR = { jobs: 5, succeeded: 4 } as const;

/** A CPU job on a GPU unit works, but scores below a CPU unit on this part, so a GPU no faster than the CPU is left for GPU jobs. */
const CPU_JOB_ON_GPU = 0.5;

export type PassedOverCode = 'MACHINE_EXCLUDED' | 'MACHINE_OFFLINE' | 'MACHINE_MAINTENANCE' | 'UNIT_PAUSED' | 'UNIT_BUSY' | 'DEVICE_MISMATCH' | 'NOT_ENOUGH_MEMORY' | 'OVER_PRICE_CAP';

export interface Candidate {
  unitId: string;
  machineId: string;
  kind: 'gpu' | 'cpu';
  device: string;
  pricePerHourMicro: string;
  /** Why it cannot take the job; null for those that can. */
  passedOver: { code: PassedOverCode; message: string } | null;
  /** Each part 0..1, unweighted; null when passed over. */
  parts: ScoreParts | null;
  /** Σ weight × part; null when passed over. */
  score: number | null;
  speed: UnitSpeed;
  /** The job's trainingFlops at this speed, when the quote gave them. */
  estimatedSeconds: number | null;
}

export interface Explanation {
  jobId: string;
  /** Those that can take it, best first, then the others. */
  candidates: Candidate[];
  winner: string | null;
  why: string;
}

export type ExplainableJob = Pick<JobDoc, '_id' | 'requirements' | 'priceCapMicro' | 'excludedMachines' | 'trainingFlops'>;

function passedOver(job: ExplainableJob, unit: SchedulableUnit, free: number): Candidate['passedOver'] {
  const say = (code: PassedOverCode, message: string) => ({ code, message });
  if (job.excludedMachines.includes(unit.machineId)) return say('MACHINE_EXCLUDED', 'Its machine failed this job before.');
  if (unit.machineStatus === 'maintenance') return say('MACHINE_MAINTENANCE', 'Its machine is in maintenance.');
  if (unit.machineStatus !== 'online' && unit.machineStatus !== 'busy') return say('MACHINE_OFFLINE', `Its machine is ${unit.machineStatus}.`);
  if (unit.unitStatus !== 'active') return say('UNIT_PAUSED', 'Its owner paused it.');
  if (unit.heldBy !== null) return say('UNIT_BUSY', `It is running job ${unit.heldBy}.`);
  if (job.requirements.device === 'gpu' && unit.kind !== 'gpu') return say('DEVICE_MISMATCH', 'The job needs a GPU.');
  if (free < job.requirements.minVramBytes) return say('NOT_ENOUGH_MEMORY', `It has ${free} bytes free; the job needs ${job.requirements.minVramBytes}.`);
  if (BigInt(unit.pricePerHourMicro) > BigInt(job.priceCapMicro)) return say('OVER_PRICE_CAP', `It costs ${unit.pricePerHourMicro} µCYX/h; the job pays at most ${job.priceCapMicro}.`);
  return null;
}

function partsOf(job: ExplainableJob, unit: SchedulableUnit, free: number, speed: number, fastest: number): ScoreParts {
  const cap = BigInt(job.priceCapMicro);
  // Millionths of the cap, so the ratio is exact in bigint before it becomes a fraction.
  const priceShare = cap === 0n ? 0 : Number((BigInt(unit.pricePerHourMicro) * 1_000_000n) / cap) / 1_000_000;
  const min = job.requirements.minVramBytes;
  return {
    device: job.requirements.device === unit.kind ? 1 : CPU_JOB_ON_GPU,
    // Best fit: the tightest unit that holds the job leaves the big ones for the jobs that need them.
    memory: min === 0 || free === 0 ? 1 : min / free,
    reputation: (unit.machineJobsSucceeded + REPUTATION_PRIOR.succeeded) / (unit.machineJobs + REPUTATION_PRIOR.jobs),
    queue: unit.machineActiveUnits === 0 ? 0 : 1 - unit.machineBusyUnits / unit.machineActiveUnits,
    speed: fastest === 0 ? 0 : speed / fastest,
    price: 1 - priceShare,
  };
}

const weighted = (parts: ScoreParts) => (Object.keys(SCORE_WEIGHTS) as ScorePart[]).reduce((sum, part) => sum + SCORE_WEIGHTS[part] * parts[part], 0);
const label = (c: Candidate) => `${c.device} (${c.unitId})`;
const fixed = (n: number) => n.toFixed(3);

/** Best first; equal scores go to the cheaper unit, then the lower unit id, so every scheduler agrees. */
function compare(a: Candidate, b: Candidate): number {
  if (a.score !== b.score) return b.score! - a.score!;
  const pa = BigInt(a.pricePerHourMicro);
  const pb = BigInt(b.pricePerHourMicro);
  if (pa !== pb) return pa < pb ? -1 : 1;
  return a.unitId < b.unitId ? -1 : a.unitId > b.unitId ? 1 : 0;
}

function whyWon(winner: Candidate, runnerUp: Candidate | undefined, passed: Candidate[]): string {
  if (!runnerUp) {
    const others = passed.length === 0 ? '' : ` (${passedOverSummary(passed)})`;
    return `${label(winner)} is the only unit that can take it, score ${fixed(winner.score!)}${others}.`;
  }
  const ahead: string[] = [];
  const behind: string[] = [];
  for (const part of Object.keys(SCORE_WEIGHTS) as ScorePart[]) {
    const diff = SCORE_WEIGHTS[part] * (winner.parts![part] - runnerUp.parts![part]);
    if (diff >= 0.0005) ahead.push(`${part} (+${fixed(diff)})`);
    else if (diff <= -0.0005) behind.push(`${part} (−${fixed(-diff)})`);
  }
  const head = `${label(winner)} won with ${fixed(winner.score!)} against ${fixed(runnerUp.score!)} for ${label(runnerUp)}`;
  if (ahead.length === 0 && behind.length === 0) {
    const cheaper = BigInt(winner.pricePerHourMicro) < BigInt(runnerUp.pricePerHourMicro);
    return `${head}: tied on every part, chosen for ${cheaper ? 'its lower price' : 'its unit id (the fixed tie-break)'}.`;
  }
  return `${head}: ahead on ${ahead.join(', ') || 'nothing'}${behind.length ? `; behind on ${behind.join(', ')}` : ''}.`;
}

function passedOverSummary(passed: Candidate[]): string {
  const counts = new Map<PassedOverCode, number>();
  for (const c of passed) counts.set(c.passedOver!.code, (counts.get(c.passedOver!.code) ?? 0) + 1);
  return [...counts].map(([code, n]) => `${n} ${code}`).join(', ');
}

/**
 * Every unit weighed for one job: those that cannot take it with the reason, the others with each
 * score part, best first, and why the winner won. Pure: the scheduler decides with it, the admin view shows it.
 */
export function explainCandidates(job: ExplainableJob, units: readonly SchedulableUnit[]): Explanation {
  const free = units.map((u) => Math.max(0, u.vramOffered - u.vramReserved));
  const speeds = units.map(unitSpeed);
  const refusals = units.map((u, i) => passedOver(job, u, free[i]!));
  const fastest = Math.max(0, ...speeds.filter((_, i) => refusals[i] === null).map((s) => s.flopsPerSecond));
  const candidates = units.map((unit, i): Candidate => {
    const parts = refusals[i] === null ? partsOf(job, unit, free[i]!, speeds[i]!.flopsPerSecond, fastest) : null;
    return {
      unitId: unit.unitId,
      machineId: unit.machineId,
      kind: unit.kind,
      device: unit.device,
      pricePerHourMicro: unit.pricePerHourMicro,
      passedOver: refusals[i]!,
      parts,
      score: parts ? weighted(parts) : null,
      speed: speeds[i]!,
      estimatedSeconds: job.trainingFlops ? job.trainingFlops / speeds[i]!.flopsPerSecond : null,
    };
  });
  const eligible = candidates.filter((c) => c.passedOver === null).sort(compare);
  const passed = candidates.filter((c) => c.passedOver !== null);
  const winner = eligible[0];
  const why = winner
    ? whyWon(winner, eligible[1], passed)
    : units.length === 0
      ? 'No compute units are registered.'
      : `No unit can take this job: ${passedOverSummary(passed)}.`;
  return { jobId: job._id.toHexString(), candidates: [...eligible, ...passed], winner: winner?.unitId ?? null, why };
}
