import { ObjectId, type Db, type Filter } from 'mongodb';
import { formatCyx, type Instruction } from '../../programs';
import { AppError } from '../errors/app-error';
import { getLedger, type SubmitResult } from '../ledger';
import { auditAutomaticSlash } from '../admin/slash-audit';
import { machinesCollection } from '../machines/collections';
import { applyJobEvent, jobStateOf, type AppliedTransition, type ApplyOptions } from './apply-job-event';
import { jobCheckpointsCollection, jobsCollection, type JobDoc } from './collections';
import { lookAtEscrow, remainingIn, type EscrowLook } from './escrow-look';
import { carriedEvent, jobTimeline } from './job-events-log';
import { needsSettlement, type JobEffect, type JobEvent, type JobStatus } from './job-machine';

/**
 * Carries out a transition's JobEffects through the ledger. Runs after the job update landed (the
 * job doc carries the transition as lastEventJson), so a crash in between leaves effects undone,
 * which settlePending re-runs. Every instruction's key is derived from the job and the transition
 * (`job:<id>:v<version>:<step>`), so a re-run is answered by the ledger as a repeat and pays nothing twice.
 *
 * - lock_escrow → create_escrow (escrowId = job id, payer = owner, amount = escrowMicro), then
 *   'escrow_locked', or 'escrow_refused' saying how much is missing. An escrow that lands after the
 *   job was cancelled is refunded and closed here.
 * - slash → slash (nodeId = machine id); record_result → record_result (durationMs: from the lease's
 *   assignment to the transition, see heldForMs). The registry's refusals that no retry can change (a
 *   machine never staked, banned, withdrawn, a stake that rounds to nothing) are skipped, not retried.
 * - release_rest / refund_rest follow from the state (needsSettlement), not the list: a job that FAILED
 *   on its third machine owes a refund though its transition names none. COMPLETED: release what is
 *   left to the machine's owner (reason 'completion'), close, 'settled'. FAILED / CANCELLED: refund,
 *   close, 'settled'. A job cancelled while its escrow was locking (escrowed false) still has a refund tried.
 * - release_checkpoint_share → release (reason 'checkpoint') to the lease machine's owner of
 *   floor(escrow × step / totalSteps) less what the ledger's escrow released already (never more
 *   than is left), keyed `job:<id>:checkpoint:<step>:release`, so a retried or re-run effect pays
 *   once and a crash before the paidMicro write cannot make a later checkpoint pay early; the job's
 *   paidMicro (a copy of the ledger's figure) and the checkpoint's releasedMicro record it. The
 *   ledger splits the fee off itself. release_rest likewise releases what the ledger says is left.
 * - free_unit was done by applyJobEvent.
 */

export interface EffectStep {
  /** The ledger key, or the effect's name for steps without one. */
  key: string;
  result: 'applied' | 'repeated' | 'skipped';
  detail?: string;
}

export interface EffectsReport {
  job: JobDoc;
  steps: EffectStep[];
}

/** Registry refusals that stay refusals whatever is retried. */
const FINAL_NODE_REFUSALS = new Set(['NODE_NOT_FOUND', 'NODE_BANNED', 'NODE_WITHDRAWN', 'NOTHING_TO_SLASH']);

/** QUEUED jobs older than this without their escrow, or ended jobs not settled, are picked up by settlePending. */
export const SETTLE_GRACE_MS = 60_000;
export const SETTLE_INTERVAL_MS = 30_000;
/**
 * A job cancelled while QUEUED may see its escrow land after the cancel's refund found none (the
 * lock was in flight); the lock refunds it itself, unless its process died first. For this long
 * after such a cancel the sweep tries the refund again (a refusal costs one ledger call).
 */
export const LATE_ESCROW_WINDOW_MS = 60 * 60_000;

/**
 * The transition whose effects are run: its version (the keys), what it asked for, and when it
 * happened (a machine's recorded work time ends there; without it the time is recorded as 0).
 */
export type Transition = { readonly version: number; readonly effects: readonly JobEffect[]; readonly at?: Date };

/**
 * How long the machine held the job: from its last 'assign' before this transition to the
 * transition. Both come from the job's immutable timeline, so a re-run sends the same record_result
 * (a different durationMs under the same key would be the ledger's IDEMPOTENCY_CONFLICT).
 */
async function heldForMs(db: Db, jobId: ObjectId, transition: Transition): Promise<number> {
  if (!transition.at) return 0;
  const assigned = (await jobTimeline(db, jobId)).filter((e) => e.event.type === 'assign' && e.version < transition.version).pop();
  return assigned ? Math.max(0, transition.at.getTime() - assigned.at.getTime()) : 0;
}

function keyOf(job: JobDoc, version: number, step: string): string {
  return `job:${job._id.toHexString()}:v${version}:${step}`;
}

async function submit(db: Db, instruction: Instruction): Promise<SubmitResult> {
  return (await getLedger(db)).submit(instruction);
}

/** A ledger refusal no retry of the same step can fix (a bug or a damaged record): an internal error, for the log and the sweep's report. */
export class JobMoneyError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'JobMoneyError';
  }
}

function ledgerFailed(step: string, code: string, message: string): JobMoneyError {
  return new JobMoneyError(code, `The ledger refused the job's ${step}: ${message}`);
}

async function readJob(db: Db, _id: ObjectId): Promise<JobDoc> {
  const doc = await jobsCollection(db).findOne({ _id });
  if (!doc) throw new AppError('NOT_FOUND', 'JOB_NOT_FOUND', 'No such job.', 'jobId');
  return doc;
}

/** A follow-up transition; one another process made first (or a cancel that won) is left as it is. */
async function follow(db: Db, job: JobDoc, event: JobEvent, now: Date, options: ApplyOptions = {}): Promise<JobDoc | null> {
  try {
    const applied = await applyJobEvent(db, job._id, event, now, options);
    await markDone(db, applied.job._id, applied.job.version);
    return applied.job;
  } catch (error) {
    if (error instanceof AppError && error.kind === 'CONFLICT') return null;
    throw error;
  }
}

async function markDone(db: Db, _id: ObjectId, version: number): Promise<void> {
  await jobsCollection(db).updateOne({ _id, effectsDoneVersion: { $lt: version } }, { $set: { effectsDoneVersion: version } });
}

async function addMoney(db: Db, job: JobDoc, field: 'refundedMicro', amount: bigint): Promise<void> {
  // Set from the job as read, not $inc: a re-run reads the same figure, gets the same (repeated) ledger answer and writes the same total.
  const total = (BigInt(job[field] ?? '0') + amount).toString();
  await jobsCollection(db).updateOne({ _id: job._id, [field]: job[field] }, { $set: { [field]: total } });
}

async function refundAndClose(db: Db, job: JobDoc, version: number, step: string, now: Date, steps: EffectStep[]): Promise<'refunded' | 'nothing_locked'> {
  const refundKey = keyOf(job, version, `${step}:refund`);
  const refund = await submit(db, { kind: 'refund', key: refundKey, at: now.getTime(), escrowId: job._id.toHexString() });
  if (refund.seq === null) {
    if (refund.outcome.code === 'ESCROW_NOT_FOUND') {
      steps.push({ key: refundKey, result: 'skipped', detail: 'no escrow was locked' });
      return 'nothing_locked';
    }
    if (refund.outcome.code !== 'NOTHING_TO_REFUND' && refund.outcome.code !== 'ESCROW_CLOSED') throw ledgerFailed('refund', refund.outcome.code, refund.outcome.message);
    steps.push({ key: refundKey, result: 'skipped', detail: refund.outcome.code });
  } else {
    const amount = refund.outcome.events.find((e) => e.type === 'escrow_refunded')?.amount ?? 0n;
    if (!refund.repeated || BigInt(job.refundedMicro ?? '0') === 0n) await addMoney(db, job, 'refundedMicro', amount);
    steps.push({ key: refundKey, result: refund.repeated ? 'repeated' : 'applied', detail: formatCyx(amount) });
  }
  await closeEscrow(db, job, version, step, now, steps);
  return 'refunded';
}

async function closeEscrow(db: Db, job: JobDoc, version: number, step: string, now: Date, steps: EffectStep[]): Promise<void> {
  const key = keyOf(job, version, `${step}:close`);
  const closed = await submit(db, { kind: 'close', key, at: now.getTime(), escrowId: job._id.toHexString() });
  if (closed.seq === null && closed.outcome.code !== 'ESCROW_CLOSED') throw ledgerFailed('close', closed.outcome.code, closed.outcome.message);
  steps.push({ key, result: closed.seq === null ? 'skipped' : closed.repeated ? 'repeated' : 'applied' });
}

async function lockEscrow(db: Db, job: JobDoc, version: number, now: Date, steps: EffectStep[]): Promise<void> {
  const key = keyOf(job, version, 'lock_escrow');
  const amount = BigInt(job.escrowMicro ?? '0');
  const owner = job.ownerId.toHexString();
  if (amount <= 0n) {
    steps.push({ key, result: 'skipped', detail: 'nothing to lock' });
    await follow(db, job, { type: 'escrow_locked' }, now);
    return;
  }
  const created = await submit(db, { kind: 'create_escrow', key, at: now.getTime(), escrowId: job._id.toHexString(), payer: owner, amount });
  if (created.seq === null && created.outcome.code === 'INSUFFICIENT_FUNDS') {
    const { available } = await (await getLedger(db)).wallet(owner);
    const reason = `Locking ${formatCyx(amount)} for this job needs ${formatCyx(amount > available ? amount - available : 0n)} more than the ${formatCyx(available)} available.`;
    steps.push({ key, result: 'skipped', detail: 'INSUFFICIENT_FUNDS' });
    await follow(db, job, { type: 'escrow_refused', reason }, now);
    return;
  }
  if (created.seq === null && created.outcome.code !== 'ESCROW_EXISTS') throw ledgerFailed('escrow', created.outcome.code, created.outcome.message);
  steps.push({ key, result: created.seq === null || created.repeated ? 'repeated' : 'applied' });
  if (await follow(db, job, { type: 'escrow_locked' }, now)) return;
  // Refused: locked by another run (fine), or cancelled while the escrow was locking (give it back).
  const current = await readJob(db, job._id);
  if (!current.escrowed && (current.status === 'CANCELLED' || current.status === 'FAILED')) await refundAndClose(db, current, version, 'lock_escrow', now, steps);
}

async function nodeStep(db: Db, key: string, instruction: Instruction, steps: EffectStep[]): Promise<void> {
  const result = await submit(db, instruction);
  if (result.seq === null) {
    if (!FINAL_NODE_REFUSALS.has(result.outcome.code)) throw ledgerFailed(instruction.kind, result.outcome.code, result.outcome.message);
    steps.push({ key, result: 'skipped', detail: result.outcome.code });
    return;
  }
  steps.push({ key, result: result.repeated ? 'repeated' : 'applied' });
}

async function ownerOfMachine(db: Db, job: JobDoc, machineId: string): Promise<string> {
  const machine = ObjectId.isValid(machineId) ? await machinesCollection(db).findOne({ _id: new ObjectId(machineId) }, { projection: { ownerId: 1 } }) : null;
  if (!machine) throw new JobMoneyError('JOB_PROVIDER_UNKNOWN', `Machine ${machineId} that worked on job ${job._id.toHexString()} is gone.`);
  return machine.ownerId.toHexString();
}

/**
 * Copies the ledger's released total into the job's paidMicro. Idempotent, so any re-run (or the
 * next release) repairs a copy a crash left behind; the ledger's figure only grows, so writing it
 * late never undoes money.
 */
async function syncPaid(db: Db, job: JobDoc): Promise<void> {
  const look = await lookAtEscrow(db, job._id.toHexString());
  const released = look?.released ?? 0n;
  await jobsCollection(db).updateOne({ _id: job._id }, { $set: { paidMicro: released.toString() } });
}

/**
 * One release out of the job's escrow under `key`: `amountOf` says how much from the ledger's own
 * escrow record (never the job's copy). A key that landed already (a re-run after a crash) answers
 * what it moved, without asking the ledger again; a concurrent run that landed the same key with a
 * figure from an older view is answered the same way.
 */
async function releaseOnce(db: Db, job: JobDoc, key: string, reason: 'checkpoint' | 'completion', provider: () => Promise<string>, amountOf: (look: EscrowLook) => bigint, now: Date): Promise<{ amount: bigint; result: 'applied' | 'repeated' } | null> {
  const escrowId = job._id.toHexString();
  const look = await lookAtEscrow(db, escrowId, key);
  if (!look) return null;
  if (look.landed !== null) return { amount: look.landed, result: 'repeated' };
  const amount = amountOf(look);
  if (amount <= 0n) return null;
  const released = await submit(db, { kind: 'release', key, at: now.getTime(), escrowId, provider: await provider(), amount, reason });
  if (released.seq === null) {
    const again = released.outcome.code === 'IDEMPOTENCY_CONFLICT' ? await lookAtEscrow(db, escrowId, key) : null;
    if (again?.landed != null) return { amount: again.landed, result: 'repeated' };
    throw ledgerFailed(`${reason} release`, released.outcome.code, released.outcome.message);
  }
  return { amount, result: released.repeated ? 'repeated' : 'applied' };
}

/**
 * The share a verified checkpoint earns: floor(deposit × (step − start) / (totalSteps − start)) (start:
 * the step of the run the job started from, else 0) less what the ledger
 * says the escrow released already, never more than it holds. Worked out from the ledger, so a
 * later checkpoint after a crash that lost a paidMicro write still pays exactly its own share.
 */
async function releaseCheckpointShare(db: Db, job: JobDoc, machineId: string, step: number, now: Date, steps: EffectStep[]): Promise<void> {
  const key = `job:${job._id.toHexString()}:checkpoint:${step}:release`;
  const totalSteps = job.totalSteps ?? 0;
  if (BigInt(job.escrowMicro ?? '0') <= 0n || totalSteps <= 0) {
    steps.push({ key, result: 'skipped', detail: 'nothing in escrow to share' });
    return;
  }
  // A job started from a saved run (start-from-run.ts) is paid for the steps from the run's step on.
  const from = Math.min(job.startFrom?.step ?? 0, totalSteps - 1);
  const due = (look: EscrowLook) => (look.deposit * BigInt(Math.max(0, Math.min(step, totalSteps) - from))) / BigInt(totalSteps - from);
  const share = (look: EscrowLook) => {
    const owed = due(look) - look.released;
    const left = remainingIn(look);
    return owed < left ? owed : left;
  };
  const released = await releaseOnce(db, job, key, 'checkpoint', () => ownerOfMachine(db, job, machineId), share, now);
  await syncPaid(db, job);
  if (!released) {
    steps.push({ key, result: 'skipped', detail: 'already released' });
    return;
  }
  await jobCheckpointsCollection(db).updateOne({ jobId: job._id, step, verified: true }, { $set: { releasedMicro: released.amount.toString() } });
  steps.push({ key, result: released.result, detail: formatCyx(released.amount) });
}

/** The machine whose completion pays: named by the 'complete' transition's record_result. */
function completedBy(transition: Transition): string | null {
  const effect = transition.effects.find((e) => e.type === 'record_result' && e.success);
  return effect && effect.type === 'record_result' ? effect.machineId : null;
}

async function releaseRest(db: Db, job: JobDoc, transition: Transition, now: Date, steps: EffectStep[]): Promise<void> {
  const version = job.version;
  const machineId = completedBy(transition);
  if (!machineId || !ObjectId.isValid(machineId)) throw new JobMoneyError('JOB_PROVIDER_UNKNOWN', `Job ${job._id.toHexString()} completed without a machine to pay.`);
  const machine = await machinesCollection(db).findOne({ _id: new ObjectId(machineId) }, { projection: { ownerId: 1 } });
  if (!machine) throw new JobMoneyError('JOB_PROVIDER_UNKNOWN', `Machine ${machineId} that completed job ${job._id.toHexString()} is gone.`);
  const key = keyOf(job, version, 'release_rest');
  // What is left by the ledger's count, not the job's paidMicro copy (a crash may have left it behind).
  const released = await releaseOnce(db, job, key, 'completion', async () => machine.ownerId.toHexString(), remainingIn, now);
  await syncPaid(db, job);
  if (released) {
    steps.push({ key, result: released.result, detail: formatCyx(released.amount) });
  } else {
    steps.push({ key, result: 'skipped', detail: 'nothing left to release' });
  }
  if (BigInt(job.escrowMicro ?? '0') > 0n) await closeEscrow(db, job, version, 'release_rest', now, steps);
  await follow(db, job, { type: 'settled' }, now, { expectedVersion: version });
}

/**
 * Carries out the ledger effects of one transition of the job, then whatever the job's state still
 * owes (settlement). Safe to run any number of times, in any number of processes.
 */
export async function runJobEffects(db: Db, jobId: ObjectId, transition: Transition, now: Date): Promise<EffectsReport> {
  const steps: EffectStep[] = [];
  let job = await readJob(db, jobId);
  const version = transition.version;
  for (const effect of transition.effects) {
    switch (effect.type) {
      case 'lock_escrow':
        if (job.status === 'QUEUED') await lockEscrow(db, job, version, now, steps);
        break;
      case 'slash': {
        const key = keyOf(job, version, `slash:${effect.reason}`);
        await nodeStep(db, key, { kind: 'slash', key, at: now.getTime(), nodeId: effect.machineId, reason: effect.reason }, steps);
        if (!effect.byAdmin) await auditAutomaticSlash(db, { jobId, machineId: effect.machineId, reason: effect.reason, key, result: steps.at(-1)!.result }, now);
        break;
      }
      case 'record_result': {
        const key = keyOf(job, version, `record_result:${effect.success ? 'success' : 'failure'}`);
        await nodeStep(db, key, { kind: 'record_result', key, at: now.getTime(), nodeId: effect.machineId, success: effect.success, durationMs: await heldForMs(db, jobId, transition) }, steps);
        break;
      }
      case 'release_checkpoint_share':
        await releaseCheckpointShare(db, await readJob(db, jobId), effect.machineId, effect.step, now, steps);
        break;
      case 'free_unit':
      case 'release_rest':
      case 'refund_rest':
        break;
    }
  }
  job = await readJob(db, jobId);
  if (job.version === version) {
    const state = jobStateOf(job);
    if (needsSettlement(state) && job.status === 'COMPLETED') {
      await releaseRest(db, job, transition, now, steps);
    } else if (needsSettlement(state)) {
      await refundAndClose(db, job, version, 'refund_rest', now, steps);
      await follow(db, job, { type: 'settled' }, now, { expectedVersion: version });
    } else if (transition.effects.some((e) => e.type === 'refund_rest')) {
      // Cancelled while its escrow was locking: whatever landed goes back.
      await refundAndClose(db, job, version, 'refund_rest', now, steps);
    }
  }
  await markDone(db, jobId, version);
  return { job: await readJob(db, jobId), steps };
}

/** applyJobEvent, then its effects: what every caller outside the scheduler's inner loop should use. */
export async function applyWithEffects(db: Db, jobId: ObjectId | string, event: JobEvent, now: Date, options: ApplyOptions = {}): Promise<EffectsReport & { applied: AppliedTransition }> {
  const applied = await applyJobEvent(db, jobId, event, now, options);
  const report = await runJobEffects(db, applied.job._id, applied.event, now);
  return { ...report, applied };
}

/**
 * What may owe a money step: every QUEUED, COMPLETED and FAILED job (FAILED is reached only from a
 * lease, so it always holds an escrow), and CANCELLED ones holding an escrow or cancelled within
 * LATE_ESCROW_WINDOW_MS. Older CANCELLED jobs without an escrow (cancelled before approval, refused
 * for funds, or past the window) owe nothing, and are not read again however many pile up.
 */
function sweptFilters(now: Date): Filter<JobDoc>[] {
  const status = (s: JobStatus) => ({ status: s });
  return [status('QUEUED'), status('COMPLETED'), status('FAILED'), { status: 'CANCELLED', escrowed: true }, { status: 'CANCELLED', escrowed: false, updatedAt: { $gte: new Date(now.getTime() - LATE_ESCROW_WINDOW_MS) } }];
}

/**
 * Re-runs the effects of jobs whose money step is not done: QUEUED (the escrow never locked, or
 * its answer never landed), COMPLETED / FAILED / CANCELLED not settled, or whose last transition's
 * effects were never marked done. Jobs changed within graceMs are left to the process working on
 * them. Answers the job ids it ran, with their steps; a job whose effects throw is reported and the
 * others carry on.
 */
export async function settlePending(db: Db, now: Date, graceMs = SETTLE_GRACE_MS): Promise<{ settled: { jobId: string; steps: EffectStep[] }[]; failed: { jobId: string; message: string }[] }> {
  const cutoff = now.getTime() - graceMs;
  const found = await Promise.all(sweptFilters(now).map((filter) => jobsCollection(db).find(filter).toArray()));
  const settled: { jobId: string; steps: EffectStep[] }[] = [];
  const failed: { jobId: string; message: string }[] = [];
  for (const job of found.flat()) {
    if (job.updatedAt.getTime() > cutoff) continue;
    const last = carriedEvent(job);
    if (!last || last.version !== job.version) continue;
    const lateEscrow = job.status === 'CANCELLED' && !job.escrowed && last.effects.some((e) => e.type === 'refund_rest') && now.getTime() - job.updatedAt.getTime() < LATE_ESCROW_WINDOW_MS;
    const owes = job.status === 'QUEUED' || needsSettlement(jobStateOf(job)) || (job.effectsDoneVersion ?? 0) < job.version || lateEscrow;
    if (!owes) continue;
    try {
      const report = await runJobEffects(db, job._id, last, now);
      settled.push({ jobId: job._id.toHexString(), steps: report.steps });
    } catch (error) {
      failed.push({ jobId: job._id.toHexString(), message: error instanceof Error ? error.message : String(error) });
    }
  }
  return { settled, failed };
}
