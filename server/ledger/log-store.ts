import type { Db } from 'mongodb';
import { encodeInstruction, type Instruction } from '../../programs';
import { collections, type LedgerLogDoc } from '../db/collections';

/**
 * Log entries are grouped in pages of 2^LOG_PAGE_BITS sequence numbers. FerretDB v1 answers a range
 * (`_id > n`) by reading every document, but an equality on an indexed field with an index, so
 * catching up reads the page holding the next sequence number (and the ones after it). 64 keeps a
 * page read small (FerretDB decodes about 10,000 documents a second here) when few entries are new.
 */
export const LOG_PAGE_BITS = 6;

export function logDoc(seq: number, instruction: Instruction, parties: string[]): LedgerLogDoc {
  return {
    _id: seq,
    page: seq >> LOG_PAGE_BITS,
    key: instruction.key,
    kind: instruction.kind,
    parties,
    at: new Date(instruction.at),
    ins: encodeInstruction(instruction),
  };
}

/** One ordered insert: on a failure part-way, the entries before it are in and none after it. */
export async function appendEntries(db: Db, docs: LedgerLogDoc[]): Promise<void> {
  await collections(db).ledgerLog.insertMany(docs, { ordered: true });
}

export async function hasEntry(db: Db, seq: number): Promise<boolean> {
  return (await collections(db).ledgerLog.findOne({ _id: seq }, { projection: { _id: 1 } })) !== null;
}

export async function seqOfKey(db: Db, key: string): Promise<number | null> {
  return (await collections(db).ledgerLog.findOne({ key }, { projection: { _id: 1 } }))?._id ?? null;
}

/** Pages asked for ahead of the one being applied, once the log is read in full pages (replay, verify). */
const PAGES_AHEAD = 3;

/**
 * Visits the entries after `seq` in order, page by page, and answers the last sequence number
 * visited. It stops at the first missing number (the log has no gaps: every append starts right
 * after the end its writer knew, and a later one would collide on `_id`) or at `upTo`.
 */
export async function readEntriesAfter(db: Db, seq: number, visit: (doc: LedgerLogDoc) => void, upTo = Number.POSITIVE_INFINITY): Promise<number> {
  const log = collections(db).ledgerLog;
  const fetchPage = (page: number) => {
    const docs = log.find({ page }).toArray();
    docs.catch(() => undefined); // awaited in turn; one left behind when the log ends must not go unhandled
    return docs;
  };
  const lastPage = Number.isFinite(upTo) ? upTo >> LOG_PAGE_BITS : Number.POSITIVE_INFINITY;
  let last = seq;
  let page = (last + 1) >> LOG_PAGE_BITS;
  const ahead: Promise<LedgerLogDoc[]>[] = [fetchPage(page)];
  for (;;) {
    const docs = await ahead.shift()!;
    docs.sort((a, b) => a._id - b._id);
    for (const doc of docs) {
      if (doc._id <= last) continue;
      if (doc._id !== last + 1 || doc._id > upTo) return last; // prefetched pages are simply dropped
      visit(doc);
      last = doc._id;
    }
    // A page not read to its end means the log ends inside it.
    if ((last + 1) >> LOG_PAGE_BITS === page || last >= upTo) return last;
    page++;
    const lastWanted = Math.min(page + PAGES_AHEAD, lastPage);
    for (let next = page + ahead.length; next <= lastWanted; next++) ahead.push(fetchPage(next));
    if (ahead.length === 0) ahead.push(fetchPage(page));
  }
}
