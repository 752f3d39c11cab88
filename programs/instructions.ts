import { type LedgerState } from './state';

// Every instruction: key (idempotency, 1..200 chars) and at (integer ms since epoch, supplied by the
// executor: the programs never read a clock). User ids are bare ids, not `user:` account ids.
export type Instruction =
  | { kind: 'mint'; key: string; at: number; by: string; to: string; amount: bigint; reason: string }
  | { kind: 'transfer'; key: string; at: number; from: string; to: string; amount: bigint; memo?: string }
  | { kind: 'create_escrow'; key: string; at: number; escrowId: string; payer: string; amount: bigint }
  | { kind: 'release'; key: string; at: number; escrowId: string; provider: string; amount: bigint; reason: 'checkpoint' | 'completion' }
  | { kind: 'refund'; key: string; at: number; escrowId: string }
  | { kind: 'close'; key: string; at: number; escrowId: string }
  | { kind: 'register_node'; key: string; at: number; nodeId: string; owner: string; stake: bigint }
  | { kind: 'record_result'; key: string; at: number; nodeId: string; success: boolean; durationMs: number }
  | { kind: 'slash'; key: string; at: number; nodeId: string; reason: 'timeout' | 'invalid_result' | 'repeated_failures' }
  | { kind: 'request_unstake'; key: string; at: number; nodeId: string }
  | { kind: 'withdraw_stake'; key: string; at: number; nodeId: string }
  | { kind: 'ban_node'; key: string; at: number; nodeId: string; by: string; reason: string }
  | { kind: 'unban_node'; key: string; at: number; nodeId: string; by: string; reason: string };

export type InstructionKind = Instruction['kind'];

export const INSTRUCTION_KINDS: readonly InstructionKind[] = [
  'mint',
  'transfer',
  'create_escrow',
  'release',
  'refund',
  'close',
  'register_node',
  'record_result',
  'slash',
  'request_unstake',
  'withdraw_stake',
  'ban_node',
  'unban_node',
];

export { encodeInstruction, decodeInstruction } from './instruction-codec';

/** The user ids an instruction touches (payer, provider, owner…): the executor indexes history by them. */
export function partiesOf(i: Instruction, state: LedgerState): string[] {
  const parties: string[] = [];
  const add = (userId: string | undefined) => {
    if (userId !== undefined && !parties.includes(userId)) parties.push(userId);
  };
  switch (i.kind) {
    case 'mint':
      add(i.to);
      break;
    case 'transfer':
      add(i.from);
      add(i.to);
      break;
    case 'create_escrow':
      add(i.payer);
      break;
    case 'release':
      add(state.escrows.get(i.escrowId)?.payer);
      add(i.provider);
      break;
    case 'refund':
    case 'close':
      add(state.escrows.get(i.escrowId)?.payer);
      break;
    case 'register_node':
      add(i.owner);
      break;
    case 'record_result':
    case 'slash':
    case 'request_unstake':
    case 'withdraw_stake':
    case 'ban_node':
    case 'unban_node':
      add(state.nodes.get(i.nodeId)?.owner);
      break;
  }
  return parties;
}
