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

/** The first reason the unit cannot take the job, as a code; null when it can (passedOver words it). */
function refusalOf(job: ExplainableJob, unit: SchedulableUnit, free: number, price: bigint, cap: bigint): PassedOverCode | null {
  if (job.excludedMachines.includes(unit.machineId)) return 'MACHINE_EXCLUDED';
  if (unit.machineStatus === 'maintenance') return 'MACHINE_MAINTENANCE';
  if (unit.machineStatus !== 'online' && unit.machineStatus !== 'busy') return 'MACHINE_OFFLINE';
  if (unit.unitStatus !== 'active') return 'UNIT_PAUSED';
  if (unit.heldBy !== null) return 'UNIT_BUSY';
  if (job.requirements.device === 'gpu' && unit.kind !== 'gpu') return 'DEVICE_MISMATCH';
  if (free < job.requirements.minVramBytes) return 'NOT_ENOUGH_MEMORY';
  if (price > cap) return 'OVER_PRICE_CAP';
  return null;
}

function passedOver(job: ExplainableJob, unit: SchedulableUnit, free: number): Candidate['passedOver'] {
  const code = refusalOf(job, unit, free, BigInt(unit.pricePerHourMicro), BigInt(job.priceCapMicro));
  if (code === null) return null;
  const messages: Record<PassedOverCode, () => string> = {
    MACHINE_EXCLUDED: () => 'Its machine failed this job before.',
    MACHINE_MAINTENANCE: () => 'Its machine is in maintenance.',
    MACHINE_OFFLINE: () => `Its machine is ${unit.machineStatus}.`,
    UNIT_PAUSED: () => 'Its owner paused it.',
    UNIT_BUSY: () => `It is running job ${unit.heldBy}.`,
    DEVICE_MISMATCH: () => 'The job needs a GPU.',
    NOT_ENOUGH_MEMORY: () => `It has ${free} bytes free; the job needs ${job.requirements.minVramBytes}.`,
    OVER_PRICE_CAP: () => `It costs ${unit.pricePerHourMicro} µCYX/h; the job pays at most ${job.priceCapMicro}.`,
  };
  return { code, message: messages[code]() };
}

/** Millionths of the cap, so the ratio is exact in bigint before it becomes a fraction. */
function priceShareOf(price: bigint, cap: bigint): number {
  return cap === 0n ? 0 : Number((price * 1_000_000n) / cap) / 1_000_000;
}

/** Every part but price (the only one that needs bigint arithmetic), so bestCandidate can leave it out of hopeless ones. */
function partsOf(job: ExplainableJob, unit: SchedulableUnit, free: number, speed: number, fastest: number): Omit<ScoreParts, 'price'> {
  const min = job.requirements.minVramBytes;
  return {
    device: job.requirements.device === unit.kind ? 1 : CPU_JOB_ON_GPU,
    // Best fit: the tightest unit that holds the job leaves the big ones for the jobs that need them.
    memory: min === 0 || free === 0 ? 1 : min / free,
    reputation: (unit.machineJobsSucceeded + REPUTATION_PRIOR.succeeded) / (unit.machineJobs + REPUTATION_PRIOR.jobs),
    queue: unit.machineActiveUnits === 0 ? 0 : 1 - unit.machineBusyUnits / unit.machineActiveUnits,
    speed: fastest === 0 ? 0 : speed / fastest,
  };
}

/** Σ weight × part in SCORE_WEIGHTS' order, written out: the same sum, in the same order, whoever adds it up. */
function weightedBeforePrice(parts: Omit<ScoreParts, 'price'>): number {
  const w = SCORE_WEIGHTS;
  return 0 + w.device * parts.device + w.memory * parts.memory + w.reputation * parts.reputation + w.queue * parts.queue + w.speed * parts.speed;
}
const weighted = (parts: ScoreParts) => weightedBeforePrice(parts) + SCORE_WEIGHTS.price * parts.price;
const label = (c: Candidate) => `${c.device} (${c.unitId})`;
const fixed = (n: number) => n.toFixed(3);

/**
 * 0 for a unit of the kind the job asks for, 1 for a GPU unit under a CPU job: a CPU job takes a
 * GPU only while no CPU unit that fits is free, whatever the scores, so GPU jobs are not left
 * waiting behind CPU jobs that took the GPUs (within a tier the score decides).
 */
function tierOf(job: ExplainableJob, kind: 'gpu' | 'cpu'): number {
  return job.requirements.device === kind ? 0 : 1;
}

/** Best first: the job's own device kind first (tierOf), then the score; equal scores go to the cheaper unit, then the lower unit id, so every scheduler agrees. */
function compareFor(job: ExplainableJob) {
  return (a: Candidate, b: Candidate): number => {
    const tier = tierOf(job, a.kind) - tierOf(job, b.kind);
    return tier !== 0 ? tier : compare(a, b);
  };
}

function compare(a: Candidate, b: Candidate): number {
  if (a.score !== b.score) return b.score! - a.score!;
  const pa = BigInt(a.pricePerHourMicro);
  const pb = BigInt(b.pricePerHourMicro);
  if (pa !== pb) return pa < pb ? -1 : 1;
  return a.unitId < b.unitId ? -1 : a.unitId > b.unitId ? 1 : 0;
}

function whyWon(winner: Candidate, runnerUp: Candidate | undefined, passed: Candidate[]): string {
  if (runnerUp && winner.kind === 'cpu' && runnerUp.kind === 'gpu') {
    return `${label(winner)} won with ${fixed(winner.score!)}: a CPU job takes a free CPU unit before any GPU (the best, ${label(runnerUp)}, scored ${fixed(runnerUp.score!)}), leaving the GPUs to GPU jobs.`;
  }
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
    const parts = refusals[i] === null ? { ...partsOf(job, unit, free[i]!, speeds[i]!.flopsPerSecond, fastest), price: 1 - priceShareOf(BigInt(unit.pricePerHourMicro), BigInt(job.priceCapMicro)) } : null;
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
  const eligible = candidates.filter((c) => c.passedOver === null).sort(compareFor(job));
  const passed = candidates.filter((c) => c.passedOver !== null);
  const winner = eligible[0];
  const why = winner
    ? whyWon(winner, eligible[1], passed)
    : units.length === 0
      ? 'No compute units are registered.'
      : `No unit can take this job: ${passedOverSummary(passed)}.`;
  return { jobId: job._id.toHexString(), candidates: [...eligible, ...passed], winner: winner?.unitId ?? null, why };
}

/**
 * A unit as bestCandidate reads it, with what does not depend on the job worked out once a pass:
 * its free memory, speed and price as bigint. `unit` is read at each call (the scheduler updates its
 * machine's busy count as it takes units).
 */
export interface PreparedUnit {
  unit: SchedulableUnit;
  free: number;
  speed: number;
  price: bigint;
}

export function prepareUnit(unit: SchedulableUnit): PreparedUnit {
  return { unit, free: Math.max(0, unit.vramOffered - unit.vramReserved), speed: unitSpeed(unit).flopsPerSecond, price: BigInt(unit.pricePerHourMicro) };
}

/**
 * explainCandidates' winner and its score, without the explanation: the scheduler's per-job
 * decision over a whole fleet. The same refusals, parts, sum and tie-breaks (explain-candidates.test
 * checks it against explainCandidates on random fleets); the price part's bigint division is
 * skipped only for units that could not reach the best score even at the best price.
 */
export function bestCandidate(job: ExplainableJob, units: readonly PreparedUnit[]): { unit: PreparedUnit; score: number } | null {
  const cap = BigInt(job.priceCapMicro);
  let fastest = 0;
  const eligible: PreparedUnit[] = [];
  for (const u of units) {
    if (refusalOf(job, u.unit, u.free, u.price, cap) !== null) continue;
    eligible.push(u);
    if (u.speed > fastest) fastest = u.speed;
  }
  let best: PreparedUnit | null = null;
  let bestScore = -Infinity;
  let bestTier = Infinity;
  for (const u of eligible) {
    const tier = tierOf(job, u.unit.kind);
    if (tier > bestTier) continue;
    const partial = weightedBeforePrice(partsOf(job, u.unit, u.free, u.speed, fastest));
    // A price part is at most 1: a unit that cannot tie the best even then is out (ties go to compare's price and id).
    if (tier === bestTier && partial + SCORE_WEIGHTS.price * 1 < bestScore) continue;
    const score = partial + SCORE_WEIGHTS.price * (1 - priceShareOf(u.price, cap));
    if (best === null || tier < bestTier || score > bestScore || (score === bestScore && (u.price < best.price || (u.price === best.price && u.unit.unitId < best.unit.unitId)))) {
      best = u;
      bestScore = score;
      bestTier = tier;
    }
  }
  return best ? { unit: best, score: bestScore } : null;
}
