import { type Outcome, LedgerError } from './outcome';
import { EVENT_FIELDS, VERSION } from './snapshot-schema';
import { type AppliedRecord, type EscrowRecord, type LedgerState, type NodeRecord, emptyLedger } from './state';

// The canonical text of a ledger: object keys in alphabetical order, map entries sorted by key (code
// unit order), bigints as decimal strings, nothing optional left ambiguous. Two states with the same
// content always encode to the same bytes, which is what snapshot hashes and replay checks compare.

/**
 * A stored outcome is written as its summary event (the last one) alone: the credited/debited events
 * before it follow from the summary (moves.ts), which keeps snapshots about a third of the size.
 */
function summaryDoc(outcome: Outcome): Record<string, unknown> {
  const summary = outcome.ok ? outcome.events[outcome.events.length - 1] : undefined;
  if (!summary) throw new LedgerError('BAD_SNAPSHOT', 'Only successful outcomes are stored, and each ends with a summary event');
  const doc: Record<string, unknown> = {};
  for (let index = 0; index < EVENT_FIELDS.length; index++) {
    const [field, kind] = EVENT_FIELDS[index]!;
    const value = summary[field];
    if (value === undefined) continue;
    doc[field] = kind === 'bigint' ? (value as bigint).toString() : value;
  }
  return doc;
}

function sortedKeys<K extends string>(map: Map<K, unknown>): K[] {
  return [...map.keys()].sort();
}

// Object literals below list their keys alphabetically; JSON.stringify keeps insertion order, and one
// native stringify of the whole tree is far cheaper (and gentler on the garbage collector) than
// concatenating 100k small strings.
function escrowDoc(e: EscrowRecord) {
  return {
    closedAt: e.closedAt,
    createdAt: e.createdAt,
    deposit: e.deposit.toString(),
    escrowId: e.escrowId,
    fees: e.fees.toString(),
    payer: e.payer,
    refunded: e.refunded.toString(),
    released: e.released.toString(),
    status: e.status,
  };
}

function nodeDoc(n: NodeRecord) {
  return {
    consecutiveFailures: n.consecutiveFailures,
    jobs: n.jobs,
    nodeId: n.nodeId,
    owner: n.owner,
    registeredAt: n.registeredAt,
    slashed: n.slashed.toString(),
    stake: n.stake.toString(),
    status: n.status,
    successes: n.successes,
    totalDurationMs: n.totalDurationMs,
    unstakeAvailableAt: n.unstakeAvailableAt,
    unstakeRequestedAt: n.unstakeRequestedAt,
  };
}

/** Canonical, byte-stable text of the whole state (sorted keys, bigints as strings). */
export function encodeState(state: LedgerState): string {
  return JSON.stringify({
    applied: sortedKeys(state.applied).map((key) => {
      const record = state.applied.get(key) as AppliedRecord;
      return [key, record.digest, summaryDoc(record.outcome)];
    }),
    balances: sortedKeys(state.balances).map((account) => [account, (state.balances.get(account) as bigint).toString()]),
    escrows: sortedKeys(state.escrows).map((id) => escrowDoc(state.escrows.get(id) as EscrowRecord)),
    minted: state.minted.toString(),
    nodes: sortedKeys(state.nodes).map((id) => nodeDoc(state.nodes.get(id) as NodeRecord)),
    version: VERSION,
  });
}

export { decodeState } from './snapshot-decode';

/** A deep copy. Stored outcomes are frozen, so the copy shares them. */
export function cloneLedger(state: LedgerState): LedgerState {
  const copy = emptyLedger();
  copy.minted = state.minted;
  copy.balances = new Map(state.balances);
  for (const [id, escrow] of state.escrows) copy.escrows.set(id, { ...escrow });
  for (const [id, node] of state.nodes) copy.nodes.set(id, { ...node });
  copy.applied = new Map(state.applied);
  for (const [payer, ids] of state.escrowsByPayer) copy.escrowsByPayer.set(payer, new Set(ids));
  for (const [owner, ids] of state.nodesByOwner) copy.nodesByOwner.set(owner, new Set(ids));
  return copy;
}
