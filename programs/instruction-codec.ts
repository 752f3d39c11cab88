import { type Instruction } from './instructions';
import { LedgerError } from './outcome';
import { instructionProblem } from './validate-instruction';

// The JSON-safe form stored in the database log: bigints become decimal strings, nothing else changes.
const AMOUNT_FIELDS = ['amount', 'stake'] as const;
const DECIMAL = /^-?(0|[1-9][0-9]*)$/;

/** Only the instruction's own fields, in a fixed order per kind, bigints as decimal strings. */
export function encodeInstruction(i: Instruction): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const source = i as unknown as Record<string, unknown>;
  for (const field of FIELDS[i.kind]) {
    const value = source[field];
    if (value === undefined) continue;
    out[field] = typeof value === 'bigint' ? value.toString() : value;
  }
  return out;
}

/** Back from the log form, validated; fields beyond the instruction's own (e.g. _id, seq) are ignored. */
export function decodeInstruction(doc: unknown): Instruction {
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc)) throw new LedgerError('BAD_INSTRUCTION', 'An instruction must be an object');
  const source = doc as Record<string, unknown>;
  const fields = FIELDS[source.kind as Instruction['kind']];
  if (!fields) {
    const problem = instructionProblem(source);
    throw new LedgerError('BAD_INSTRUCTION', problem?.message ?? 'Unknown instruction kind');
  }
  const candidate: Record<string, unknown> = {};
  for (const field of fields) {
    let value = source[field];
    if (value === undefined) continue;
    if ((AMOUNT_FIELDS as readonly string[]).includes(field)) {
      if (typeof value !== 'string' || !DECIMAL.test(value)) {
        throw new LedgerError('BAD_INSTRUCTION', `The ${field} of a ${String(source.kind)} instruction must be a decimal string of µCYX, got ${JSON.stringify(value)}`);
      }
      value = BigInt(value);
    }
    candidate[field] = value;
  }
  const problem = instructionProblem(candidate);
  if (problem) throw new LedgerError(problem.code, problem.message);
  return candidate as Instruction;
}

const COMMON = ['kind', 'key', 'at'];
const FIELDS: Record<Instruction['kind'], string[]> = {
  mint: [...COMMON, 'by', 'to', 'amount', 'reason'],
  transfer: [...COMMON, 'from', 'to', 'amount', 'memo'],
  create_escrow: [...COMMON, 'escrowId', 'payer', 'amount'],
  release: [...COMMON, 'escrowId', 'provider', 'amount', 'reason'],
  refund: [...COMMON, 'escrowId'],
  close: [...COMMON, 'escrowId'],
  register_node: [...COMMON, 'nodeId', 'owner', 'stake'],
  record_result: [...COMMON, 'nodeId', 'success', 'durationMs'],
  slash: [...COMMON, 'nodeId', 'reason'],
  request_unstake: [...COMMON, 'nodeId'],
  withdraw_stake: [...COMMON, 'nodeId'],
  ban_node: [...COMMON, 'nodeId', 'by', 'reason'],
  unban_node: [...COMMON, 'nodeId', 'by', 'reason'],
};

export function instructionFields(kind: Instruction['kind']): readonly string[] {
  return FIELDS[kind];
}
