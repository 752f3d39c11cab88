import { type AccountId, isAccountId } from './accounts';
import { indexEscrow } from './escrow';
import { indexNode } from './node-registry';
import { type LedgerEvent, type LedgerEventType, type Outcome, LedgerError } from './outcome';
import { type AppliedRecord, type EscrowRecord, type LedgerState, type NodeRecord, type NodeStatus, emptyLedger } from './state';

// The canonical text of a ledger: object keys in alphabetical order, map entries sorted by key (code
// unit order), bigints as decimal strings, nothing optional left ambiguous. Two states with the same
// content always encode to the same bytes, which is what snapshot hashes and replay checks compare.

const VERSION = 1;

type FieldKind = 'string' | 'bigint' | 'int' | 'boolean';
/** Every event field, alphabetically: the order they are written in. */
const EVENT_FIELDS: readonly (readonly [keyof LedgerEvent, FieldKind])[] = [
  ['account', 'string'],
  ['amount', 'bigint'],
  ['availableAt', 'int'],
  ['banned', 'boolean'],
  ['by', 'string'],
  ['durationMs', 'int'],
  ['escrowId', 'string'],
  ['fee', 'bigint'],
  ['from', 'string'],
  ['memo', 'string'],
  ['nodeId', 'string'],
  ['owner', 'string'],
  ['payer', 'string'],
  ['percent', 'int'],
  ['provider', 'string'],
  ['reason', 'string'],
  ['remaining', 'bigint'],
  ['success', 'boolean'],
  ['to', 'string'],
  ['toProvider', 'bigint'],
  ['type', 'string'],
];
const EVENT_FIELD_KIND = new Map<string, FieldKind>(EVENT_FIELDS);
const EVENT_TYPES: ReadonlySet<string> = new Set<LedgerEventType>([
  'credited',
  'debited',
  'minted',
  'transferred',
  'escrow_created',
  'escrow_released',
  'escrow_refunded',
  'escrow_closed',
  'node_registered',
  'result_recorded',
  'node_slashed',
  'unstake_requested',
  'stake_withdrawn',
]);
const NODE_STATUSES: ReadonlySet<string> = new Set<NodeStatus>(['active', 'unstaking', 'banned', 'withdrawn']);

const str = JSON.stringify;
const big = (value: bigint) => `"${value}"`;
const nullableInt = (value: number | null) => (value === null ? 'null' : String(value));

/** Stored outcomes never change (they are frozen), so each one's text is computed once. */
const eventsTextCache = new WeakMap<Outcome, string>();

function eventsText(outcome: Outcome): string {
  let text = eventsTextCache.get(outcome);
  if (text !== undefined) return text;
  const events = outcome.ok ? outcome.events : [];
  const parts: string[] = [];
  for (const event of events) {
    let item = '';
    for (const [field, kind] of EVENT_FIELDS) {
      const value = event[field];
      if (value === undefined) continue;
      const encoded = kind === 'string' ? str(value) : kind === 'bigint' ? big(value as bigint) : String(value);
      item += `${item === '' ? '' : ','}"${field}":${encoded}`;
    }
    parts.push(`{${item}}`);
  }
  text = `[${parts.join(',')}]`;
  eventsTextCache.set(outcome, text);
  return text;
}

function sortedKeys<K extends string>(map: Map<K, unknown>): K[] {
  return [...map.keys()].sort();
}

function escrowText(e: EscrowRecord): string {
  return (
    `{"closedAt":${nullableInt(e.closedAt)},"createdAt":${e.createdAt},"deposit":${big(e.deposit)},"escrowId":${str(e.escrowId)},` +
    `"fees":${big(e.fees)},"payer":${str(e.payer)},"refunded":${big(e.refunded)},"released":${big(e.released)},"status":${str(e.status)}}`
  );
}

function nodeText(n: NodeRecord): string {
  return (
    `{"consecutiveFailures":${n.consecutiveFailures},"jobs":${n.jobs},"nodeId":${str(n.nodeId)},"owner":${str(n.owner)},` +
    `"registeredAt":${n.registeredAt},"slashed":${big(n.slashed)},"stake":${big(n.stake)},"status":${str(n.status)},` +
    `"successes":${n.successes},"totalDurationMs":${n.totalDurationMs},"unstakeAvailableAt":${nullableInt(n.unstakeAvailableAt)},` +
    `"unstakeRequestedAt":${nullableInt(n.unstakeRequestedAt)}}`
  );
}

/** Canonical, byte-stable text of the whole state (sorted keys, bigints as strings). */
export function encodeState(state: LedgerState): string {
  const applied = sortedKeys(state.applied).map((key) => {
    const record = state.applied.get(key) as AppliedRecord;
    return `[${str(key)},${str(record.digest)},${eventsText(record.outcome)}]`;
  });
  const balances = sortedKeys(state.balances).map((account) => `[${str(account)},${big(state.balances.get(account) as bigint)}]`);
  const escrows = sortedKeys(state.escrows).map((id) => escrowText(state.escrows.get(id) as EscrowRecord));
  const nodes = sortedKeys(state.nodes).map((id) => nodeText(state.nodes.get(id) as NodeRecord));
  return (
    `{"applied":[${applied.join(',')}],"balances":[${balances.join(',')}],"escrows":[${escrows.join(',')}],` +
    `"minted":${big(state.minted)},"nodes":[${nodes.join(',')}],"version":${VERSION}}`
  );
}

function bad(message: string): never {
  throw new LedgerError('BAD_SNAPSHOT', `The ledger snapshot is damaged: ${message}`);
}

const DECIMAL = /^(0|[1-9][0-9]*)$/;

function readBigint(value: unknown, where: string): bigint {
  if (typeof value !== 'string' || !DECIMAL.test(value)) bad(`${where} must be a non-negative decimal string`);
  return BigInt(value);
}

function readInt(value: unknown, where: string): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) bad(`${where} must be a non-negative whole number`);
  return value;
}

function readNullableInt(value: unknown, where: string): number | null {
  return value === null ? null : readInt(value, where);
}

function readString(value: unknown, where: string): string {
  if (typeof value !== 'string' || value.length === 0) bad(`${where} must be a non-empty string`);
  return value;
}

function readArray(value: unknown, where: string): unknown[] {
  if (!Array.isArray(value)) bad(`${where} must be a list`);
  return value;
}

function readObject(value: unknown, where: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) bad(`${where} must be an object`);
  return value as Record<string, unknown>;
}

function readEvent(value: unknown, where: string): LedgerEvent {
  const source = readObject(value, where);
  const event: Record<string, unknown> = {};
  for (const [field, raw] of Object.entries(source)) {
    const kind = EVENT_FIELD_KIND.get(field);
    if (!kind) bad(`${where} has an unknown field ${field}`);
    if (kind === 'string') event[field] = typeof raw === 'string' ? raw : bad(`${where}.${field} must be a string`);
    else if (kind === 'bigint') event[field] = readBigint(raw, `${where}.${field}`);
    else if (kind === 'int') event[field] = readInt(raw, `${where}.${field}`);
    else if (typeof raw === 'boolean') event[field] = raw;
    else bad(`${where}.${field} must be true or false`);
  }
  if (!EVENT_TYPES.has(event.type as string)) bad(`${where}.type is not a known event type`);
  if (event.account !== undefined && !isAccountId(event.account as string)) bad(`${where}.account is not an account id`);
  return Object.freeze(event) as unknown as LedgerEvent;
}

function readEscrow(value: unknown, where: string): EscrowRecord {
  const e = readObject(value, where);
  const status = e.status;
  if (status !== 'open' && status !== 'closed') bad(`${where}.status must be open or closed`);
  const escrow: EscrowRecord = {
    escrowId: readString(e.escrowId, `${where}.escrowId`),
    payer: readString(e.payer, `${where}.payer`),
    deposit: readBigint(e.deposit, `${where}.deposit`),
    released: readBigint(e.released, `${where}.released`),
    refunded: readBigint(e.refunded, `${where}.refunded`),
    fees: readBigint(e.fees, `${where}.fees`),
    status,
    createdAt: readInt(e.createdAt, `${where}.createdAt`),
    closedAt: readNullableInt(e.closedAt, `${where}.closedAt`),
  };
  return escrow;
}

function readNode(value: unknown, where: string): NodeRecord {
  const n = readObject(value, where);
  const status = n.status;
  if (typeof status !== 'string' || !NODE_STATUSES.has(status)) bad(`${where}.status must be one of ${[...NODE_STATUSES].join(', ')}`);
  return {
    nodeId: readString(n.nodeId, `${where}.nodeId`),
    owner: readString(n.owner, `${where}.owner`),
    stake: readBigint(n.stake, `${where}.stake`),
    status: status as NodeStatus,
    registeredAt: readInt(n.registeredAt, `${where}.registeredAt`),
    jobs: readInt(n.jobs, `${where}.jobs`),
    successes: readInt(n.successes, `${where}.successes`),
    consecutiveFailures: readInt(n.consecutiveFailures, `${where}.consecutiveFailures`),
    totalDurationMs: readInt(n.totalDurationMs, `${where}.totalDurationMs`),
    slashed: readBigint(n.slashed, `${where}.slashed`),
    unstakeRequestedAt: readNullableInt(n.unstakeRequestedAt, `${where}.unstakeRequestedAt`),
    unstakeAvailableAt: readNullableInt(n.unstakeAvailableAt, `${where}.unstakeAvailableAt`),
  };
}

function setOnce<K, V>(map: Map<K, V>, key: K, value: V, where: string): void {
  if (map.has(key)) bad(`${where} repeats the key ${String(key)}`);
  map.set(key, value);
}

/** Reads encodeState's text back, checking every field; throws LedgerError('BAD_SNAPSHOT', …). */
export function decodeState(text: string): LedgerState {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    bad('it is not valid JSON');
  }
  const root = readObject(parsed, 'the snapshot');
  if (root.version !== VERSION) bad(`its version is ${JSON.stringify(root.version) ?? 'missing'}, expected ${VERSION}`);
  const state = emptyLedger();
  state.minted = readBigint(root.minted, 'minted');
  readArray(root.balances, 'balances').forEach((entry, index) => {
    const where = `balances[${index}]`;
    const [account, amount] = readArray(entry, where);
    if (typeof account !== 'string' || !isAccountId(account)) bad(`${where} names no account`);
    const value = readBigint(amount, `${where} amount`);
    if (value === 0n) bad(`${where} holds a zero balance, which the canonical form leaves out`);
    setOnce(state.balances, account as AccountId, value, 'balances');
  });
  readArray(root.escrows, 'escrows').forEach((entry, index) => {
    const escrow = readEscrow(entry, `escrows[${index}]`);
    setOnce(state.escrows, escrow.escrowId, escrow, 'escrows');
    if (escrow.status === 'open') indexEscrow(state, escrow.payer, escrow.escrowId);
  });
  readArray(root.nodes, 'nodes').forEach((entry, index) => {
    const node = readNode(entry, `nodes[${index}]`);
    setOnce(state.nodes, node.nodeId, node, 'nodes');
    indexNode(state, node.owner, node.nodeId);
  });
  readArray(root.applied, 'applied').forEach((entry, index) => {
    const where = `applied[${index}]`;
    const [key, digest, events] = readArray(entry, where);
    const eventList = readArray(events, `${where} events`).map((event, at) => readEvent(event, `${where} event ${at}`));
    if (typeof digest !== 'string' || !/^[0-9a-f]{16}$/.test(digest)) bad(`${where} digest must be 16 hex digits`);
    const outcome: Outcome = Object.freeze({ ok: true as const, events: Object.freeze(eventList) as LedgerEvent[] });
    setOnce(state.applied, readString(key, `${where} key`), { digest, outcome }, 'applied');
  });
  return state;
}

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
