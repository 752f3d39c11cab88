import { type AccountId, isAccountId } from './accounts';
import { indexEscrow } from './escrow';
import { balanceEventsOf } from './moves';
import { indexNode } from './node-registry';
import { type LedgerEvent, type Outcome, LedgerError } from './outcome';
import { EVENT_FIELD_KIND, EVENT_TYPES, NODE_STATUSES, VERSION } from './snapshot-schema';
import { type EscrowRecord, type LedgerState, type NodeRecord, type NodeStatus, emptyLedger } from './state';

// Reading encodeState's text back, checking every field. Readers throw a FieldProblem naming the field
// inside its entry; the loop over a section adds "escrows[12]" only then, so a 100k-entry snapshot
// builds no path strings unless something is wrong.

class FieldProblem {
  constructor(
    readonly field: string,
    readonly problem: string,
  ) {}
}

function bad(message: string): never {
  throw new LedgerError('BAD_SNAPSHOT', `The ledger snapshot is damaged: ${message}`);
}

const DECIMAL = /^(0|[1-9][0-9]*)$/;
const DIGEST = /^[0-9a-f]{16}$/;

function bigintAt(value: unknown, field: string): bigint {
  if (typeof value !== 'string' || !DECIMAL.test(value)) throw new FieldProblem(field, 'must be a non-negative decimal string');
  return BigInt(value);
}

function intAt(value: unknown, field: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw new FieldProblem(field, 'must be a non-negative whole number');
  return value;
}

function nullableIntAt(value: unknown, field: string): number | null {
  return value === null ? null : intAt(value, field);
}

function idAt(value: unknown, field: string): string {
  if (typeof value !== 'string' || value.length === 0) throw new FieldProblem(field, 'must be a non-empty string');
  return value;
}

function listAt(value: unknown, field: string): unknown[] {
  if (!Array.isArray(value)) throw new FieldProblem(field, 'must be a list');
  return value;
}

function objectAt(value: unknown, field: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new FieldProblem(field, 'must be an object');
  return value as Record<string, unknown>;
}

function readEvent(value: unknown, field: string): LedgerEvent {
  const source = objectAt(value, field);
  const event: Record<string, unknown> = {};
  for (const name in source) {
    const raw = source[name];
    const kind = EVENT_FIELD_KIND.get(name);
    if (!kind) throw new FieldProblem(field, `has an unknown field ${name}`);
    if (kind === 'bigint') {
      if (typeof raw !== 'string' || !DECIMAL.test(raw)) throw new FieldProblem(`${field}.${name}`, 'must be a non-negative decimal string');
      event[name] = BigInt(raw);
    } else if (kind === 'int') {
      if (typeof raw !== 'number' || !Number.isSafeInteger(raw) || raw < 0) throw new FieldProblem(`${field}.${name}`, 'must be a non-negative whole number');
      event[name] = raw;
    } else if (kind === 'string' ? typeof raw === 'string' : typeof raw === 'boolean') event[name] = raw;
    else throw new FieldProblem(`${field}.${name}`, kind === 'string' ? 'must be a string' : 'must be true or false');
  }
  if (!EVENT_TYPES.has(event.type as string)) throw new FieldProblem(`${field}.type`, 'is not a known event type');
  if (event.type === 'credited' || event.type === 'debited') throw new FieldProblem(field, 'must describe an instruction, not a balance change');
  if (event.account !== undefined && !isAccountId(event.account as string)) throw new FieldProblem(`${field}.account`, 'is not an account id');
  return Object.freeze(event) as unknown as LedgerEvent;
}

function readBalance(entry: unknown): [AccountId, bigint] {
  const [account, amount] = listAt(entry, '');
  if (typeof account !== 'string' || !isAccountId(account)) throw new FieldProblem('', 'names no account');
  const value = bigintAt(amount, 'amount');
  if (value === 0n) throw new FieldProblem('', 'holds a zero balance, which the canonical form leaves out');
  return [account as AccountId, value];
}

function readEscrow(value: unknown): EscrowRecord {
  const e = objectAt(value, '');
  const status = e.status;
  if (status !== 'open' && status !== 'closed') throw new FieldProblem('status', 'must be open or closed');
  return {
    escrowId: idAt(e.escrowId, 'escrowId'),
    payer: idAt(e.payer, 'payer'),
    deposit: bigintAt(e.deposit, 'deposit'),
    released: bigintAt(e.released, 'released'),
    refunded: bigintAt(e.refunded, 'refunded'),
    fees: bigintAt(e.fees, 'fees'),
    status,
    createdAt: intAt(e.createdAt, 'createdAt'),
    closedAt: nullableIntAt(e.closedAt, 'closedAt'),
  };
}

function readNode(value: unknown): NodeRecord {
  const n = objectAt(value, '');
  const status = n.status;
  if (typeof status !== 'string' || !NODE_STATUSES.has(status)) throw new FieldProblem('status', `must be one of ${[...NODE_STATUSES].join(', ')}`);
  return {
    nodeId: idAt(n.nodeId, 'nodeId'),
    owner: idAt(n.owner, 'owner'),
    stake: bigintAt(n.stake, 'stake'),
    status: status as NodeStatus,
    registeredAt: intAt(n.registeredAt, 'registeredAt'),
    jobs: intAt(n.jobs, 'jobs'),
    successes: intAt(n.successes, 'successes'),
    consecutiveFailures: intAt(n.consecutiveFailures, 'consecutiveFailures'),
    totalDurationMs: intAt(n.totalDurationMs, 'totalDurationMs'),
    slashed: bigintAt(n.slashed, 'slashed'),
    unstakeRequestedAt: nullableIntAt(n.unstakeRequestedAt, 'unstakeRequestedAt'),
    unstakeAvailableAt: nullableIntAt(n.unstakeAvailableAt, 'unstakeAvailableAt'),
  };
}

/** A stored outcome: the summary event, with the balance events it implies derived again. */
function readApplied(entry: unknown): [string, { digest: string; outcome: Outcome }] {
  const [key, digest, summaryValue] = listAt(entry, '');
  const summary = readEvent(summaryValue, 'summary');
  if (typeof digest !== 'string' || !DIGEST.test(digest)) throw new FieldProblem('digest', 'must be 16 hex digits');
  const events = balanceEventsOf(summary).map((event) => Object.freeze(event));
  events.push(summary);
  const outcome: Outcome = Object.freeze({ ok: true as const, events: Object.freeze(events) as LedgerEvent[] });
  return [idAt(key, 'key'), { digest, outcome }];
}

/** Decodes every entry of one section into `map`, refusing repeated keys. */
function readSection<V>(root: Record<string, unknown>, section: string, read: (entry: unknown) => V, keyOf: (value: V) => string, store: (key: string, value: V) => boolean): void {
  const entries = root[section];
  if (!Array.isArray(entries)) bad(`${section} must be a list`);
  for (let index = 0; index < entries.length; index++) {
    let value: V;
    try {
      value = read(entries[index]);
    } catch (error) {
      if (!(error instanceof FieldProblem)) throw error;
      bad(`${section}[${index}]${error.field === '' ? '' : `.${error.field}`} ${error.problem}`);
    }
    if (!store(keyOf(value), value)) bad(`${section} repeats the key ${keyOf(value)}`);
  }
}

function storeOnce<V>(map: Map<string, V>) {
  return (key: string, value: V) => {
    if (map.has(key)) return false;
    map.set(key, value);
    return true;
  };
}

/** Reads encodeState's text back, checking every field; throws LedgerError('BAD_SNAPSHOT', …). */
export function decodeState(text: string): LedgerState {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    bad('it is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) bad('it is not an object');
  const root = parsed as Record<string, unknown>;
  if (root.version !== VERSION) bad(`its version is ${JSON.stringify(root.version) ?? 'missing'}, expected ${VERSION}`);
  const state = emptyLedger();
  try {
    state.minted = bigintAt(root.minted, 'minted');
  } catch {
    bad('minted must be a non-negative decimal string');
  }
  const balances = new Map<string, bigint>();
  readSection(root, 'balances', readBalance, ([account]) => account, (key, [, amount]) => storeOnce(balances)(key, amount));
  state.balances = balances as Map<AccountId, bigint>;
  readSection(root, 'escrows', readEscrow, (escrow) => escrow.escrowId, (key, escrow) => {
    if (!storeOnce(state.escrows)(key, escrow)) return false;
    if (escrow.status === 'open') indexEscrow(state, escrow.payer, escrow.escrowId);
    return true;
  });
  readSection(root, 'nodes', readNode, (node) => node.nodeId, (key, node) => {
    if (!storeOnce(state.nodes)(key, node)) return false;
    indexNode(state, node.owner, node.nodeId);
    return true;
  });
  readSection(root, 'applied', readApplied, ([key]) => key, (key, [, record]) => storeOnce(state.applied)(key, record));
  return state;
}
