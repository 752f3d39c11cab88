import type { Db, Filter } from 'mongodb';
import { decodeInstruction, INSTRUCTION_KINDS, userAccount, type Instruction, type InstructionKind, type LedgerEvent, type LedgerState } from '../../programs';
import { collections, type LedgerLogDoc } from '../db/collections';
import { AppError } from '../errors/app-error';

export const MAX_HISTORY_PAGE = 100;

export interface HistoryEntry {
  seq: number;
  key: string;
  kind: InstructionKind;
  /** The instruction's time, ms since epoch. */
  at: number;
  instruction: Instruction;
  /** What it did, as the programs reported it when it was applied. */
  events: readonly LedgerEvent[];
  /** The change to this person's available balance (credits minus debits of their account). */
  change: bigint;
}

export interface HistoryPage {
  entries: HistoryEntry[];
  /** Pass as `before` for the next (older) page; null on the last. */
  nextBefore: number | null;
}

export interface HistoryRequest {
  kind?: InstructionKind;
  /** Entries with a smaller sequence number only: the previous page's nextBefore. */
  before?: number;
  limit: number;
}

export function checkHistoryRequest(opts: HistoryRequest): void {
  if (!Number.isSafeInteger(opts.limit) || opts.limit < 1 || opts.limit > MAX_HISTORY_PAGE) {
    throw new AppError('BAD_REQUEST', 'LEDGER_HISTORY_LIMIT', `A history page holds 1 to ${MAX_HISTORY_PAGE} entries, got ${opts.limit}.`, 'limit');
  }
  if (opts.before !== undefined && (!Number.isSafeInteger(opts.before) || opts.before < 1)) {
    throw new AppError('BAD_REQUEST', 'LEDGER_HISTORY_CURSOR', `"before" is a log sequence number (a positive integer), got ${opts.before}.`, 'before');
  }
  if (opts.kind !== undefined && !INSTRUCTION_KINDS.includes(opts.kind)) {
    throw new AppError('BAD_REQUEST', 'LEDGER_HISTORY_KIND', `Unknown instruction kind ${JSON.stringify(opts.kind)}; one of ${INSTRUCTION_KINDS.join(', ')}.`, 'kind');
  }
}

/**
 * The log entries that touch one person, newest first, one more than a page (to tell whether
 * another follows). The sequence number is the cursor: it never ties, so `_id < before` splits
 * pages exactly.
 */
export async function historyDocs(db: Db, userId: string, opts: HistoryRequest): Promise<LedgerLogDoc[]> {
  const filter: Filter<LedgerLogDoc> = { parties: userId };
  if (opts.kind) filter.kind = opts.kind;
  if (opts.before !== undefined) filter._id = { $lt: opts.before };
  return collections(db).ledgerLog.find(filter).sort({ _id: -1 }).limit(opts.limit + 1).toArray();
}

/** The page those entries make. Events come from the view (the programs keep each applied key's outcome), so the log stores only instructions. */
export function historyFromDocs(state: LedgerState, userId: string, docs: LedgerLogDoc[], limit: number): HistoryPage {
  const account = userAccount(userId);
  const entries = docs.slice(0, limit).map((doc): HistoryEntry => {
    const instruction = decodeInstruction(doc.ins);
    const outcome = state.applied.get(doc.key)?.outcome;
    const events = outcome?.ok ? outcome.events : [];
    let change = 0n;
    for (const event of events) {
      if (event.account !== account || event.amount === undefined) continue;
      if (event.type === 'credited') change += event.amount;
      else if (event.type === 'debited') change -= event.amount;
    }
    return { seq: doc._id, key: doc.key, kind: instruction.kind, at: instruction.at, instruction, events, change };
  });
  return { entries, nextBefore: docs.length > limit ? entries[entries.length - 1]!.seq : null };
}
