import type { Db } from 'mongodb';
import { checkInvariants, supplyOf, SYSTEM_ACCOUNTS, type InstructionKind } from '../../programs';
import { remainingOf } from '../../programs/escrow';
import type { LedgerLogDoc } from '../db/collections';
import { collections } from '../db/collections';
import { LOG_PAGE_BITS } from '../ledger/log-store';
import { getLedger } from '../ledger';
import { withLedger } from '../wallet/money-error';

/** The ledger dashboard's live figures, µCYX as strings: every invariant checked over the live view now. */
export interface LedgerOverview {
  seq: number;
  supply: { minted: string; held: string };
  invariants: { name: string; ok: boolean; detail?: string }[];
  /** Balances of the system accounts (platform fees, escrow vault, stake vault, penalties). */
  systemAccounts: { account: string; balance: string }[];
  escrows: { open: number; closed: number; openRemaining: string; deposited: string; released: string; refunded: string; fees: string };
  nodes: { active: number; unstaking: number; banned: number; withdrawn: number; staked: string; slashed: string };
}

export async function ledgerOverview(db: Db): Promise<LedgerOverview> {
  return withLedger(async () =>
    (await getLedger(db)).inspect((state, seq) => {
      const { minted, held } = supplyOf(state);
      const escrows = { open: 0, closed: 0, openRemaining: 0n, deposited: 0n, released: 0n, refunded: 0n, fees: 0n };
      for (const e of state.escrows.values()) {
        if (e.status === 'open') {
          escrows.open += 1;
          escrows.openRemaining += remainingOf(e);
        } else escrows.closed += 1;
        escrows.deposited += e.deposit;
        escrows.released += e.released;
        escrows.refunded += e.refunded;
        escrows.fees += e.fees;
      }
      const nodes = { active: 0, unstaking: 0, banned: 0, withdrawn: 0, staked: 0n, slashed: 0n };
      for (const n of state.nodes.values()) {
        nodes[n.status] += 1;
        nodes.staked += n.stake;
        nodes.slashed += n.slashed;
      }
      const text = <T extends Record<string, number | bigint>>(o: T) => Object.fromEntries(Object.entries(o).map(([k, v]) => [k, typeof v === 'bigint' ? v.toString() : v]));
      return {
        seq,
        supply: { minted: minted.toString(), held: held.toString() },
        invariants: checkInvariants(state).map((i) => ({ name: i.name, ok: i.ok, ...(i.detail ? { detail: i.detail } : {}) })),
        systemAccounts: SYSTEM_ACCOUNTS.map((account) => ({ account, balance: (state.balances.get(account) ?? 0n).toString() })),
        escrows: text(escrows) as LedgerOverview['escrows'],
        nodes: text(nodes) as LedgerOverview['nodes'],
      };
    }),
  );
}

export const LOG_BROWSE_MAX = 100;
/** Log pages (of 64 entries) one request reads at most while looking for a kind: a rare kind pages on, it never scans the whole log. */
const PAGES_PER_REQUEST = 16;

export interface LogRow {
  seq: number;
  kind: string;
  key: string;
  at: Date;
  parties: string[];
  /** The instruction's own fields as stored (bigints as decimal strings). */
  fields: Record<string, unknown>;
}

/**
 * The instruction log, newest first. FerretDB v1 scans for `_id < n`, so it is read by page (an
 * indexed equality, 64 entries each) backwards from `before`; a kind filter looks through at most
 * PAGES_PER_REQUEST pages and answers where to go on. An exact key or sequence number is one indexed read.
 */
export async function browseLog(db: Db, query: { kind?: InstructionKind; key?: string; seq?: number; before?: number; limit: number }): Promise<{ rows: LogRow[]; nextBefore: number | null }> {
  const log = collections(db).ledgerLog;
  const rowOf = (d: LedgerLogDoc): LogRow => {
    const fields = { ...d.ins };
    for (const shown of ['kind', 'key', 'at']) delete fields[shown];
    return { seq: d._id, kind: d.kind, key: d.key, at: d.at, parties: d.parties, fields };
  };
  if (query.key !== undefined || query.seq !== undefined) {
    const doc = await log.findOne(query.key !== undefined ? { key: query.key } : { _id: query.seq! });
    return { rows: doc && (!query.kind || doc.kind === query.kind) ? [rowOf(doc)] : [], nextBefore: null };
  }
  const limit = Math.min(Math.max(1, query.limit), LOG_BROWSE_MAX);
  const top = query.before ?? (await withLedger(async () => (await getLedger(db)).seq)) + 1;
  const rows: LogRow[] = [];
  let page = (top - 1) >> LOG_PAGE_BITS;
  for (let read = 0; page >= 0 && read < PAGES_PER_REQUEST && rows.length < limit; read++, page--) {
    const docs = await log.find({ page }).toArray();
    docs.sort((a, b) => b._id - a._id);
    for (const doc of docs) {
      if (doc._id >= top || (query.kind && doc.kind !== query.kind)) continue;
      rows.push(rowOf(doc));
      if (rows.length === limit) break;
    }
  }
  const last = rows.at(-1);
  const nextBefore = rows.length === limit ? last!.seq : page >= 0 ? (page + 1) << LOG_PAGE_BITS : null;
  return { rows, nextBefore: nextBefore !== null && nextBefore > 1 ? nextBefore : null };
}
