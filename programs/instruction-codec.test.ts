import { describe, expect, it } from 'vitest';
import { type Instruction, decodeInstruction, encodeInstruction, partiesOf } from './instructions';
import { LedgerError } from './outcome';
import { ledgerWith } from './testing/ledger-fixtures';
import { cyx } from './units';

const samples: Instruction[] = [
  { kind: 'mint', key: 'a', at: 1, by: 'admin', to: 'u1', amount: cyx(1), reason: 'faucet' },
  { kind: 'transfer', key: 'b', at: 2, from: 'u1', to: 'u2', amount: 9_223_372_036_854_775_807n, memo: 'hi' },
  { kind: 'create_escrow', key: 'c', at: 3, escrowId: 'job', payer: 'u1', amount: 5n },
  { kind: 'release', key: 'd', at: 4, escrowId: 'job', provider: 'u2', amount: 5n, reason: 'checkpoint' },
  { kind: 'refund', key: 'e', at: 5, escrowId: 'job' },
  { kind: 'close', key: 'f', at: 6, escrowId: 'job' },
  { kind: 'register_node', key: 'g', at: 7, nodeId: 'n', owner: 'u2', stake: cyx(100) },
  { kind: 'record_result', key: 'h', at: 8, nodeId: 'n', success: false, durationMs: 0 },
  { kind: 'slash', key: 'i', at: 9, nodeId: 'n', reason: 'invalid_result' },
  { kind: 'request_unstake', key: 'j', at: 10, nodeId: 'n' },
  { kind: 'withdraw_stake', key: 'k', at: 11, nodeId: 'n' },
];

function codeOf(run: () => unknown): string | undefined {
  try {
    run();
  } catch (error) {
    return error instanceof LedgerError ? error.code : 'NOT_A_LEDGER_ERROR';
  }
  return undefined;
}

describe('instruction codec', () => {
  it('round-trips every kind through a JSON-safe form', () => {
    for (const sample of samples) {
      const doc = encodeInstruction(sample);
      expect(JSON.parse(JSON.stringify(doc))).toEqual(doc);
      expect(decodeInstruction(doc)).toEqual(sample);
    }
    expect(encodeInstruction(samples[1]!).amount).toBe('9223372036854775807');
  });

  it('ignores database fields around the instruction', () => {
    expect(decodeInstruction({ ...encodeInstruction(samples[0]!), _id: 'x', seq: 12 })).toEqual(samples[0]);
  });

  it('refuses anything malformed with BAD_INSTRUCTION or AMOUNT_OVERFLOW', () => {
    const mint = encodeInstruction(samples[0]!);
    expect(codeOf(() => decodeInstruction(null))).toBe('BAD_INSTRUCTION');
    expect(codeOf(() => decodeInstruction({ ...mint, kind: 'burn' }))).toBe('BAD_INSTRUCTION');
    expect(codeOf(() => decodeInstruction({ ...mint, amount: 1000000 }))).toBe('BAD_INSTRUCTION');
    expect(codeOf(() => decodeInstruction({ ...mint, amount: '1.5' }))).toBe('BAD_INSTRUCTION');
    expect(codeOf(() => decodeInstruction({ ...mint, amount: '007' }))).toBe('BAD_INSTRUCTION');
    expect(codeOf(() => decodeInstruction({ ...mint, amount: '9223372036854775808' }))).toBe('AMOUNT_OVERFLOW');
    expect(codeOf(() => decodeInstruction({ ...mint, reason: undefined }))).toBe('BAD_INSTRUCTION');
    expect(codeOf(() => decodeInstruction({ ...mint, at: '1' }))).toBe('BAD_INSTRUCTION');
  });

  it('names the users an instruction touches', () => {
    const state = ledgerWith(
      { kind: 'mint', by: 'admin', to: 'payer', amount: cyx(500), reason: 'seed' },
      { kind: 'create_escrow', escrowId: 'job', payer: 'payer', amount: cyx(1) },
      { kind: 'transfer', from: 'payer', to: 'prov', amount: cyx(100) },
      { kind: 'register_node', nodeId: 'n', owner: 'prov', stake: cyx(100) },
    );
    expect(partiesOf(samples[0]!, state)).toEqual(['u1']);
    expect(partiesOf(samples[1]!, state)).toEqual(['u1', 'u2']);
    expect(partiesOf({ kind: 'release', key: 'r', at: 1, escrowId: 'job', provider: 'prov', amount: 1n, reason: 'completion' }, state)).toEqual(['payer', 'prov']);
    expect(partiesOf({ kind: 'refund', key: 'r', at: 1, escrowId: 'job' }, state)).toEqual(['payer']);
    expect(partiesOf({ kind: 'slash', key: 's', at: 1, nodeId: 'n', reason: 'timeout' }, state)).toEqual(['prov']);
    expect(partiesOf({ kind: 'slash', key: 's', at: 1, nodeId: 'unknown', reason: 'timeout' }, state)).toEqual([]);
  });
});
