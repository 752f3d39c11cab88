import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Db } from 'mongodb';
import {
  applyInstruction,
  checkInvariants,
  encodeState,
  partiesOf,
  supplyOf,
  walletOf,
  type Failure,
  type Instruction,
  type InvariantResult,
  type LedgerState,
  type Outcome,
  type Wallet,
} from '../../programs';
import type { LedgerLogDoc } from '../db/collections';
import { isDuplicateKeyError } from '../db/duplicate-key';
import { checkHistoryRequest, historyDocs, historyFromDocs, type HistoryPage, type HistoryRequest } from './history';
import { LedgerFailure } from './ledger-failure';
import { LedgerLease } from './lease';
import { appendEntries, hasEntry, logDoc, seqOfKey } from './log-store';
import { catchUp, rebuildView, replayFromEmpty, type LedgerView } from './replay';
import { Serial } from './serial';
import { sha256Text, writeSnapshot } from './snapshot-store';

export const DEFAULT_SNAPSHOT_EVERY = 1000;
/** Submissions applied together and appended with one insertMany (group commit). */
export const MAX_BATCH = 200;
/** The lease is kept this long after the queue empties, so a steady trickle does not re-take it each time. */
const LEASE_LINGER_MS = 50;
/** A holder busy for longer than this asks, between batches, whether another executor waits, and hands over. */
const LEASE_SLICE_MS = 200;
/** After a snapshot, the next waits this many times as long as encoding it took (see maybeSnapshot). */
const SNAPSHOT_SPACING = 4;
/** Times one submission is put back in the queue because another executor appended at the same numbers. */
const MAX_COLLISIONS = 5;

export interface LedgerOptions {
  /** A snapshot of the view is stored after this many instructions (or later, see maybeSnapshot). */
  snapshotEvery?: number;
  /** Names this executor in the lease; unique per process by default. */
  holder?: string;
  /** How long the lease lasts unrenewed: how soon others may append after this process dies (default 10 s). */
  leaseMs?: number;
  testHooks?: {
    /** Tests only: runs between applying a batch in memory and appending it (another writer, or a failing database, is simulated here). */
    beforeAppend?: (docs: readonly LedgerLogDoc[]) => void | Promise<void>;
    /** Tests only: runs right after an append is in the log; a throw stops the executor there, as a killed process would. */
    afterAppend?: (seqs: number[]) => void | Promise<void>;
  };
}

export type Success = Extract<Outcome, { ok: true }>;

/** Applied (`seq` is its place in the log; `repeated` when the key was applied before), or refused and not logged. */
export type SubmitResult = { seq: number; outcome: Success; repeated: boolean } | { seq: null; outcome: Failure; repeated: false };

export interface VerifyReport {
  instructions: number;
  supply: { minted: bigint; held: bigint };
  invariants: InvariantResult[];
  /** Whether the replay from nothing gives byte-identical state to the live view at the same seq. */
  matchesLive: boolean;
  ms: number;
}

interface Pending {
  instruction: Instruction;
  resolve: (result: SubmitResult) => void;
  reject: (error: unknown) => void;
  collisions: number;
}

type Judged = { pending: Pending; outcome: Failure } | { pending: Pending; outcome: Success; seq: number | null; repeated: boolean };

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function unavailable(error: unknown): LedgerFailure {
  if (error instanceof LedgerFailure) return error;
  return new LedgerFailure(
    'LEDGER_UNAVAILABLE',
    `The ledger could not record this instruction (${describe(error)}). Nothing was applied unless it reached the log; ` +
      'submit it again with the same key: one that landed is answered, never applied twice.',
  );
}

const closedError = () => new LedgerFailure('LEDGER_CLOSED', 'The ledger executor is closed.');

/**
 * Applies ledger instructions in one order for every process: an append-only log in the database
 * is the truth, the balances are a view replayed from it (from the newest snapshot on open).
 * Submissions queue; each batch is applied to the view in memory and its successes appended with
 * one ordered insert. If that insert fails the view may be ahead of the log, so it is rebuilt from
 * the database, and each submission is answered by what actually landed: nothing lost, nothing twice.
 * No transactions, so it runs on FerretDB and MongoDB alike.
 */
export class LedgerExecutor {
  private queue: Pending[] = [];
  private draining = false;
  private closed = false;
  /** The view may disagree with the log (a failed append, a broken catch-up): rebuilt before it is used. */
  private stale = false;
  /** Batches, catch-ups and rebuilds, one at a time: between them the view is exactly the log up to view.seq. */
  private readonly serial = new Serial();
  private readonly lease: LedgerLease;
  private readonly snapshotEvery: number;
  private lingerTimer: NodeJS.Timeout | null = null;
  private snapshotting: Promise<void> | null = null;
  private snapshotNotBefore = 0;
  private lastSnapshotSeq: number;
  private drained: Promise<void> = Promise.resolve();
  /** The batch being applied and appended (it never rejects: it answers its submissions itself). */
  private batchInFlight: Promise<void> | null = null;

  private constructor(
    private readonly db: Db,
    private view: LedgerView,
    private readonly options: LedgerOptions,
  ) {
    this.snapshotEvery = options.snapshotEvery ?? DEFAULT_SNAPSHOT_EVERY;
    if (!Number.isSafeInteger(this.snapshotEvery) || this.snapshotEvery < 1) throw new RangeError(`snapshotEvery must be a positive integer, got ${options.snapshotEvery}`);
    this.lease = new LedgerLease(db, options.holder ?? `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`, options.leaseMs);
    this.lastSnapshotSeq = view.seq;
  }

  /** Rebuilds the view from the newest snapshot (refusing one that fails its hash) and the log after it. */
  static async open(db: Db, options: LedgerOptions = {}): Promise<LedgerExecutor> {
    return new LedgerExecutor(db, await rebuildView(db), options);
  }

  /** The log sequence number the view has reached. */
  get seq(): number {
    return this.view.seq;
  }

  /** Closed by close(), or stopped by a test's simulated crash: it answers nothing more. */
  get isClosed(): boolean {
    return this.closed;
  }

  get holder(): string {
    return this.lease.holder;
  }

  submit(instruction: Instruction): Promise<SubmitResult> {
    if (this.closed) return Promise.reject(closedError());
    return new Promise<SubmitResult>((resolve, reject) => {
      this.queue.push({ instruction, resolve, reject, collisions: 0 });
      this.kick();
    });
  }

  /** One person's balances, from the view once it has caught up with what other processes appended. */
  async wallet(userId: string): Promise<Wallet> {
    return this.read(() => walletOf(this.view.state, userId));
  }

  /** One person's log entries, newest first, `before` a sequence number (the previous page's nextBefore). */
  async history(userId: string, opts: HistoryRequest): Promise<HistoryPage> {
    checkHistoryRequest(opts);
    const docs = await historyDocs(this.db, userId, opts);
    // The events come from the view; an entry of a batch still being appended waits for it.
    return this.read(() => historyFromDocs(this.view.state, userId, docs, opts.limit));
  }

  /** Reads the live view once it has caught up, for the admin dashboards: `look` must only read. */
  async inspect<T>(look: (state: Readonly<LedgerState>, seq: number) => T): Promise<T> {
    return this.read(() => look(this.view.state, this.view.seq));
  }

  /** The canonical text of the view (programs' encodeState) and the sequence number it reaches. */
  async encodedState(): Promise<{ seq: number; text: string }> {
    return this.serial.run(async () => {
      await this.ensureFresh();
      return { seq: this.view.seq, text: encodeState(this.view.state) };
    });
  }

  /**
   * Replays the whole log from nothing (no snapshot trusted) up to the live view's sequence number,
   * and reports its supply, every invariant, and whether it is byte-identical to the live view.
   */
  async verify(): Promise<VerifyReport> {
    const started = performance.now();
    const encoded = await this.encodedState();
    const live = { seq: encoded.seq, hash: sha256Text(encoded.text) };
    const invariants: InvariantResult[] = [];
    let replayed: LedgerView | null = null;
    try {
      replayed = await replayFromEmpty(this.db, live.seq);
      const reaches = replayed.seq === live.seq;
      invariants.push({ name: 'log is complete', ok: reaches, ...(reaches ? {} : { detail: `the log stops at seq ${replayed.seq}, the view is at ${live.seq}` }) });
    } catch (error) {
      if (!(error instanceof LedgerFailure)) throw error;
      invariants.push({ name: 'log replays', ok: false, detail: error.message });
    }
    const state = replayed?.state;
    return {
      instructions: replayed?.seq ?? 0,
      supply: state ? supplyOf(state) : { minted: 0n, held: 0n },
      invariants: [...invariants, ...(state ? checkInvariants(state) : [])],
      matchesLive: state !== undefined && replayed!.seq === live.seq && sha256Text(encodeState(state)) === live.hash,
      ms: Math.round(performance.now() - started),
    };
  }

  /** Answers what is queued, stores nothing more, and gives the lease back. */
  async close(): Promise<void> {
    if (this.closed) return;
    while (this.draining) await this.drained;
    this.closed = true;
    if (this.lingerTimer) clearTimeout(this.lingerTimer);
    await this.serial.run(async () => undefined);
    await this.snapshotting;
    await this.lease.release().catch(() => undefined);
  }

  private kick(): void {
    if (this.draining) return;
    this.draining = true;
    if (this.lingerTimer) clearTimeout(this.lingerTimer);
    this.lingerTimer = null;
    this.drained = this.drain().finally(() => {
      this.draining = false;
      if (this.queue.length > 0) this.kick();
      else if (!this.closed) this.lingerTimer = setTimeout(() => void this.releaseIfIdle(), LEASE_LINGER_MS).unref();
    });
  }

  private async drain(): Promise<void> {
    while (this.queue.length > 0) {
      if (this.closed) {
        for (const pending of this.queue.splice(0)) pending.reject(closedError());
        return;
      }
      const batch = this.queue.splice(0, MAX_BATCH);
      const running = this.serial.run(() => this.runBatch(batch));
      this.batchInFlight = running;
      await running;
      if (this.batchInFlight === running) this.batchInFlight = null;
      if (this.queue.length > 0 && this.lease.heldForMs > LEASE_SLICE_MS && (await this.lease.wanted().catch(() => false))) {
        await this.serial.run(() => this.lease.release()).catch(() => undefined);
      }
    }
  }

  private async releaseIfIdle(): Promise<void> {
    await this.serial.run(async () => {
      if (!this.draining && this.queue.length === 0) await this.lease.release();
    }).catch(() => undefined);
  }

  /** The view is usable: rebuilt if it may disagree with the log. Call inside `serial`. */
  private async ensureFresh(): Promise<void> {
    if (this.closed) throw closedError();
    if (this.stale) {
      this.view = await rebuildView(this.db);
      this.stale = false;
      return;
    }
    try {
      await catchUp(this.db, this.view);
    } catch (error) {
      // Part of a catch-up may be in the state already.
      this.stale = true;
      throw error;
    }
  }

  /**
   * Runs `view` on a view that is exactly the log: never while a batch is applied in memory but not
   * yet appended (that batch may still fail), and after catching up with what other processes
   * appended before this read began. While this executor holds the lease nobody else appends;
   * otherwise one probe for the next sequence number (concurrent readers probe in parallel).
   * `view` runs synchronously at the moment those hold.
   */
  private async read<T>(view: () => T): Promise<T> {
    let probed = false;
    for (;;) {
      if (this.closed) throw closedError();
      if (this.batchInFlight) {
        await this.batchInFlight;
        continue;
      }
      if (this.stale) {
        await this.serial.run(() => this.ensureFresh());
        continue;
      }
      if (probed || this.lease.held) return view();
      probed = true;
      if (await hasEntry(this.db, this.view.seq + 1)) await this.serial.run(() => this.ensureFresh());
    }
  }

  private async runBatch(batch: Pending[]): Promise<void> {
    try {
      const { continuous } = await this.lease.acquire(() => this.closed);
      if (!continuous || this.stale) await this.ensureFresh();
    } catch (error) {
      for (const pending of batch) pending.reject(this.closed ? closedError() : unavailable(error));
      return;
    }

    const state = this.view.state;
    const firstSeq = this.view.seq + 1;
    const seqOfNew = new Map<string, number>();
    const docs: LedgerLogDoc[] = [];
    let judged: Judged[];
    try {
      judged = batch.map((pending): Judged => {
        const instruction = pending.instruction;
        const seen = state.applied.has(instruction?.key);
        const outcome = applyInstruction(state, instruction);
        if (!outcome.ok) return { pending, outcome };
        if (seen) return { pending, outcome, seq: seqOfNew.get(instruction.key) ?? null, repeated: true };
        const seq = firstSeq + docs.length;
        seqOfNew.set(instruction.key, seq);
        // Escrows and nodes are never removed, so the parties read after applying are those it touched.
        docs.push(logDoc(seq, instruction, partiesOf(instruction, state)));
        return { pending, outcome, seq, repeated: false };
      });
    } catch (error) {
      // A program threw part-way (a bug, not a refusal): the state cannot be trusted.
      this.stale = true;
      for (const pending of batch) pending.reject(unavailable(error));
      return;
    }

    if (docs.length > 0) {
      this.stale = true;
      try {
        await this.options.testHooks?.beforeAppend?.(docs);
        await appendEntries(this.db, docs);
      } catch (error) {
        await this.recover(batch, error);
        return;
      }
      this.view.seq += docs.length;
      this.stale = false;
      if (this.options.testHooks?.afterAppend) {
        try {
          await this.options.testHooks.afterAppend(docs.map((d) => d._id));
        } catch (error) {
          this.halt(batch, error);
          return;
        }
      }
    }
    await this.answer(judged);
    this.maybeSnapshot();
  }

  private async answer(judged: Judged[]): Promise<void> {
    for (const item of judged) {
      if (!item.outcome.ok) {
        item.pending.resolve({ seq: null, outcome: item.outcome, repeated: false });
        continue;
      }
      const { outcome, repeated } = item as Extract<Judged, { seq: number | null }>;
      let seq = (item as { seq: number | null }).seq;
      if (seq === null) {
        // A key applied before this batch: its place in the log is looked up by the unique key.
        try {
          seq = await seqOfKey(this.db, item.pending.instruction.key);
        } catch (error) {
          item.pending.reject(unavailable(error));
          continue;
        }
        if (seq === null) {
          item.pending.reject(new LedgerFailure('LEDGER_LOG_CORRUPT', `The key ${item.pending.instruction.key} is applied in the view but not in the log.`));
          continue;
        }
      }
      item.pending.resolve({ seq, outcome, repeated });
    }
  }

  /**
   * The append failed, perhaps part-way: the view is rebuilt from the database, a submission whose
   * key is now in it is answered from it, and the rest go back in the queue (another executor took
   * these numbers) or are refused as LEDGER_UNAVAILABLE (the database is away).
   */
  private async recover(batch: Pending[], appendError: unknown): Promise<void> {
    try {
      this.view = await rebuildView(this.db);
      this.stale = false;
    } catch (error) {
      for (const pending of batch) pending.reject(unavailable(error instanceof LedgerFailure ? error : appendError));
      return;
    }
    const collided = isDuplicateKeyError(appendError);
    const retry: Pending[] = [];
    const answered: Judged[] = [];
    for (const pending of batch) {
      if (this.view.state.applied.has(pending.instruction.key)) {
        // Answers the first outcome, or IDEMPOTENCY_CONFLICT for other content; changes nothing.
        const outcome = applyInstruction(this.view.state, pending.instruction);
        answered.push(outcome.ok ? { pending, outcome, seq: null, repeated: false } : { pending, outcome });
      } else if (collided && pending.collisions < MAX_COLLISIONS) {
        pending.collisions++;
        retry.push(pending);
      } else {
        pending.reject(unavailable(appendError));
      }
    }
    this.queue.unshift(...retry);
    await this.answer(answered);
  }

  /** A simulated crash: this executor stops as a killed process would; its queue is refused. */
  private halt(batch: Pending[], error: unknown): void {
    this.closed = true;
    this.stale = true;
    for (const pending of [...batch, ...this.queue.splice(0)]) pending.reject(error);
  }

  /**
   * Encodes the view now (synchronously, so it is exactly the state at this seq) and stores it in the
   * background; one at a time, a failed one is simply taken again later. Encoding blocks the drain
   * (about 450 ms at 100,000 keys here), so after one the next waits SNAPSHOT_SPACING times as long:
   * snapshots then come every snapshotEvery instructions or less often, and cost at most ~1/5 of the time.
   */
  private maybeSnapshot(): void {
    if (this.snapshotting || this.view.seq - this.lastSnapshotSeq < this.snapshotEvery || performance.now() < this.snapshotNotBefore) return;
    const seq = this.view.seq;
    const started = performance.now();
    const text = encodeState(this.view.state);
    const encodeMs = performance.now() - started;
    this.snapshotting = writeSnapshot(this.db, seq, text)
      .then(() => void (this.lastSnapshotSeq = Math.max(this.lastSnapshotSeq, seq)))
      .catch((error: unknown) => console.error(`[ledger] snapshot at seq ${seq} failed (retried later): ${describe(error)}`))
      .finally(() => {
        this.snapshotting = null;
        this.snapshotNotBefore = performance.now() + SNAPSHOT_SPACING * encodeMs;
      });
  }
}
