import { describe, expect, it } from 'vitest';
import { applyInstruction } from './apply';
import { checkInvariants } from './invariants';
import { LedgerError } from './outcome';
import { cloneLedger, decodeState, encodeState } from './snapshot';
import { emptyLedger } from './state';
import { ledgerWith } from './testing/ledger-fixtures';
import { cyx } from './units';
import { walletOf } from './views';

function sampleLedger() {
  return ledgerWith(
    { kind: 'mint', by: 'admin', to: 'bob', amount: cyx(300), reason: 'seed' },
    { kind: 'mint', by: 'admin', to: 'alice', amount: cyx(50), reason: 'seed' },
    { kind: 'create_escrow', escrowId: 'job', payer: 'alice', amount: cyx(20) },
    { kind: 'release', escrowId: 'job', provider: 'bob', amount: 15n, reason: 'checkpoint' },
    { kind: 'register_node', nodeId: 'n1', owner: 'bob', stake: cyx(120) },
    { kind: 'record_result', nodeId: 'n1', success: true, durationMs: 900 },
    { kind: 'transfer', from: 'bob', to: 'alice', amount: 1n, memo: 'é😀' },
  );
}

function snapshotError(text: string): LedgerError {
  try {
    decodeState(text);
  } catch (error) {
    if (error instanceof LedgerError) return error;
    throw error;
  }
  throw new Error('decodeState accepted a damaged snapshot');
}

describe('state snapshots', () => {
  it('encodes with sorted keys and decimal bigints, independent of insertion order', () => {
    const a = ledgerWith(
      { kind: 'mint', key: 'x', by: 'admin', to: 'u1', amount: 5n, reason: 'r' },
      { kind: 'mint', key: 'y', by: 'admin', to: 'u2', amount: 6n, reason: 'r' },
    );
    const b = ledgerWith(
      { kind: 'mint', key: 'y', by: 'admin', to: 'u2', amount: 6n, reason: 'r' },
      { kind: 'mint', key: 'x', by: 'admin', to: 'u1', amount: 5n, reason: 'r' },
    );
    expect(encodeState(a)).toBe(encodeState(b));
    expect(encodeState(emptyLedger())).toBe('{"applied":[],"balances":[],"escrows":[],"minted":"0","nodes":[],"version":1}');
    expect(encodeState(a)).toContain('"balances":[["user:u1","5"],["user:u2","6"]]');
  });

  it('round-trips a ledger with every kind of record', () => {
    const state = sampleLedger();
    const text = encodeState(state);
    const decoded = decodeState(text);
    expect(encodeState(decoded)).toBe(text);
    expect(walletOf(decoded, 'alice')).toEqual(walletOf(state, 'alice'));
    expect(walletOf(decoded, 'bob')).toEqual({ available: cyx(180) + 14n - 1n, inEscrow: 0n, staked: cyx(120), unstaking: [] });
  });

  it('a clone is independent of the original', () => {
    const state = sampleLedger();
    const clone = cloneLedger(state);
    const text = encodeState(state);
    applyInstruction(clone, { kind: 'refund', key: 'clone-refund', at: 5, escrowId: 'job' });
    expect(encodeState(state)).toBe(text);
    expect(walletOf(state, 'alice').inEscrow).toBe(cyx(20) - 15n);
    expect(walletOf(clone, 'alice').inEscrow).toBe(0n);
  });

  it('refuses damaged text with BAD_SNAPSHOT and says where', () => {
    const text = encodeState(sampleLedger());
    expect(snapshotError('{"applied":[').code).toBe('BAD_SNAPSHOT');
    expect(snapshotError(text.replace('"version":1', '"version":2')).message).toContain('version is 2');
    expect(snapshotError(text.replace('"minted":"350000000"', '"minted":"-1"')).message).toContain('minted');
    expect(snapshotError(text.replace('"deposit":"20000000"', '"deposit":20000000')).message).toContain('escrows[0].deposit');
    expect(snapshotError(text.replace('"status":"active"', '"status":"asleep"')).message).toContain('nodes[0].status');
    expect(snapshotError(text.replace('"balances":[', '"balances":[["user:zed","0"],')).message).toContain('zero balance');
    expect(snapshotError(text.replace('"balances":[', '"balances":[["nobody","5"],')).message).toContain('names no account');
    const firstBalance = /"balances":\[(\["[^"]+","[0-9]+"\])/.exec(text)![1]!;
    expect(snapshotError(text.replace(firstBalance, `${firstBalance},${firstBalance}`)).message).toContain('repeats');
    expect(snapshotError(text.replace('"type":"minted"', '"type":"stolen"')).message).toContain('event');
  });

  it('a well-formed snapshot whose figures were altered decodes, and checkInvariants names what is wrong', () => {
    const text = encodeState(sampleLedger());
    const tampered = decodeState(text.replace('["system:escrow-vault","19999985"]', '["system:escrow-vault","19999986"]'));
    const failed = checkInvariants(tampered).filter((check) => !check.ok).map((check) => check.name);
    expect(failed).toEqual(['supply_equals_minted', 'escrow_vault_matches_open_escrows']);
    expect(checkInvariants(sampleLedger()).every((check) => check.ok)).toBe(true);
  });
});
