import { type LedgerEvent, type LedgerEventType } from './outcome';
import { type NodeStatus } from './state';

// What a snapshot may contain, shared by the encoder and the decoder.

export const VERSION = 1;

export type FieldKind = 'string' | 'bigint' | 'int' | 'boolean';
/** Every event field, alphabetically: the order they are written in. */
export const EVENT_FIELDS: readonly (readonly [keyof LedgerEvent, FieldKind])[] = [
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
export const EVENT_FIELD_KIND = new Map<string, FieldKind>(EVENT_FIELDS);
export const EVENT_TYPES: ReadonlySet<string> = new Set<LedgerEventType>([
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
  'node_unbanned',
]);
export const NODE_STATUSES: ReadonlySet<string> = new Set<NodeStatus>(['active', 'unstaking', 'banned', 'withdrawn']);
