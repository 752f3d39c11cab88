import { type Instruction, INSTRUCTION_KINDS } from './instructions';
import { type Failure, fail } from './outcome';
import { MAX_AMOUNT, MAX_ID_LENGTH, MAX_TEXT_LENGTH } from './rules';
import { formatCyx } from './units';

const RELEASE_REASONS = ['checkpoint', 'completion'];
const SLASH_REASONS = ['timeout', 'invalid_result', 'repeated_failures'];

type Fields = Record<string, unknown>;

function badId(value: unknown, field: string, kind: string): Failure | null {
  if (typeof value !== 'string' || value.length === 0) {
    return fail('BAD_INSTRUCTION', `A ${kind} instruction needs a non-empty ${field}`);
  }
  if (value.length > MAX_ID_LENGTH) {
    return fail('BAD_INSTRUCTION', `The ${field} of a ${kind} instruction is ${value.length} characters; at most ${MAX_ID_LENGTH} are allowed`);
  }
  return null;
}

function badAmount(value: unknown, field: string, kind: string): Failure | null {
  if (typeof value !== 'bigint') return fail('BAD_INSTRUCTION', `The ${field} of a ${kind} instruction must be a whole number of µCYX`);
  if (value <= 0n) return fail('BAD_INSTRUCTION', `The ${field} of a ${kind} instruction must be positive, got ${formatCyx(value)}`);
  if (value > MAX_AMOUNT) return fail('AMOUNT_OVERFLOW', `The ${field} of a ${kind} instruction is larger than the ledger can hold (at most ${formatCyx(MAX_AMOUNT)})`);
  return null;
}

function badTime(value: unknown, field: string, kind: string): Failure | null {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) {
    return fail('BAD_INSTRUCTION', `The ${field} of a ${kind} instruction must be a non-negative whole number of milliseconds`);
  }
  return null;
}

function badText(value: unknown, field: string, kind: string, required: boolean): Failure | null {
  if (value === undefined && !required) return null;
  if (typeof value !== 'string') return fail('BAD_INSTRUCTION', `A ${kind} instruction needs a ${field} text`);
  if (required && value.trim().length === 0) return fail('BAD_INSTRUCTION', `A ${kind} instruction needs a non-empty ${field}`);
  if (value.length > MAX_TEXT_LENGTH) {
    return fail('BAD_INSTRUCTION', `The ${field} of a ${kind} instruction is ${value.length} characters; at most ${MAX_TEXT_LENGTH} are allowed`);
  }
  return null;
}

function badChoice(value: unknown, field: string, kind: string, choices: string[]): Failure | null {
  if (typeof value !== 'string' || !choices.includes(value)) {
    return fail('BAD_INSTRUCTION', `The ${field} of a ${kind} instruction must be one of ${choices.join(', ')}, got ${JSON.stringify(value) ?? 'nothing'}`);
  }
  return null;
}

/** The first thing wrong with an instruction's fields, or null: checked before any state is read. */
export function instructionProblem(candidate: unknown): Failure | null {
  if (typeof candidate !== 'object' || candidate === null) return fail('BAD_INSTRUCTION', 'An instruction must be an object');
  const i = candidate as Fields;
  const kind = i.kind;
  if (typeof kind !== 'string' || !(INSTRUCTION_KINDS as readonly string[]).includes(kind)) {
    return fail('BAD_INSTRUCTION', `Unknown instruction kind ${JSON.stringify(kind) ?? 'nothing'}; expected one of ${INSTRUCTION_KINDS.join(', ')}`);
  }
  const common = badId(i.key, 'idempotency key', kind) ?? badTime(i.at, 'time (at)', kind);
  if (common) return common;
  switch (kind as Instruction['kind']) {
    case 'mint':
      return badId(i.by, 'minting admin (by)', kind) ?? badId(i.to, 'recipient (to)', kind) ?? badAmount(i.amount, 'amount', kind) ?? badText(i.reason, 'reason', kind, true);
    case 'transfer':
      return badId(i.from, 'sender (from)', kind) ?? badId(i.to, 'recipient (to)', kind) ?? badAmount(i.amount, 'amount', kind) ?? badText(i.memo, 'memo', kind, false);
    case 'create_escrow':
      return badId(i.escrowId, 'escrow id', kind) ?? badId(i.payer, 'payer', kind) ?? badAmount(i.amount, 'amount', kind);
    case 'release':
      return badId(i.escrowId, 'escrow id', kind) ?? badId(i.provider, 'provider', kind) ?? badAmount(i.amount, 'amount', kind) ?? badChoice(i.reason, 'reason', kind, RELEASE_REASONS);
    case 'refund':
    case 'close':
      return badId(i.escrowId, 'escrow id', kind);
    case 'register_node':
      return badId(i.nodeId, 'node id', kind) ?? badId(i.owner, 'owner', kind) ?? badAmount(i.stake, 'stake', kind);
    case 'record_result':
      return (
        badId(i.nodeId, 'node id', kind) ??
        (typeof i.success === 'boolean' ? null : fail('BAD_INSTRUCTION', 'A record_result instruction needs success: true or false')) ??
        badTime(i.durationMs, 'duration (durationMs)', kind)
      );
    case 'slash':
      return badId(i.nodeId, 'node id', kind) ?? badChoice(i.reason, 'reason', kind, SLASH_REASONS);
    case 'request_unstake':
    case 'withdraw_stake':
      return badId(i.nodeId, 'node id', kind);
    case 'ban_node':
    case 'unban_node':
      return badId(i.nodeId, 'node id', kind) ?? badId(i.by, 'administrator (by)', kind) ?? badText(i.reason, 'reason', kind, true);
  }
}
