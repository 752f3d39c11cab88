import type { Db } from 'mongodb';
import { applyInstruction, decodeInstruction, emptyLedger, LedgerError, type LedgerState } from '../../programs';
import type { LedgerLogDoc } from '../db/collections';
import { LedgerFailure } from './ledger-failure';
import { readEntriesAfter } from './log-store';
import { loadNewestSnapshot } from './snapshot-store';

/** The view at the end of the log: the balances and program state, and the sequence they reach. */
export interface LedgerView {
  state: LedgerState;
  seq: number;
}

function logCorrupt(doc: LedgerLogDoc, why: string): LedgerFailure {
  return new LedgerFailure('LEDGER_LOG_CORRUPT', `Ledger log entry ${doc._id} (key ${JSON.stringify(doc.key)}) ${why}; the ledger will not start on it.`, doc._id);
}

/**
 * Applies one logged instruction to `state`. Only successes are logged, so anything else means
 * the log and the view disagree: that stops the replay rather than skipping an entry.
 */
export function replayEntry(state: LedgerState, doc: LedgerLogDoc): void {
  let instruction;
  try {
    instruction = decodeInstruction(doc.ins);
  } catch (error) {
    if (error instanceof LedgerError) throw logCorrupt(doc, `is malformed: ${error.message}`);
    throw error;
  }
  if (instruction.key !== doc.key) throw logCorrupt(doc, `holds an instruction with another key (${JSON.stringify(instruction.key)})`);
  if (state.applied.has(instruction.key)) throw logCorrupt(doc, 'repeats a key applied before it');
  const outcome = applyInstruction(state, instruction);
  if (!outcome.ok) throw logCorrupt(doc, `does not replay: ${outcome.code} (${outcome.message})`);
}

/** Brings `view` up to the end of the log (or to `upTo`), answering how many entries it applied. */
export async function catchUp(db: Db, view: LedgerView, upTo?: number): Promise<number> {
  const from = view.seq;
  view.seq = await readEntriesAfter(db, view.seq, (doc) => replayEntry(view.state, doc), upTo);
  return view.seq - from;
}

/** The newest snapshot (hash-checked) and every entry after it. */
export async function rebuildView(db: Db): Promise<LedgerView> {
  const snapshot = await loadNewestSnapshot(db);
  const view: LedgerView = snapshot ? { state: snapshot.state, seq: snapshot.seq } : { state: emptyLedger(), seq: 0 };
  await catchUp(db, view);
  return view;
}

/** The whole log replayed from nothing, up to `upTo` (verify: the snapshots are not trusted). */
export async function replayFromEmpty(db: Db, upTo?: number): Promise<LedgerView> {
  const view: LedgerView = { state: emptyLedger(), seq: 0 };
  await catchUp(db, view, upTo);
  return view;
}
