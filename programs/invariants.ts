import { ESCROW_VAULT, PENALTIES, PLATFORM_FEES, STAKE_VAULT } from './accounts';
import { remainingOf } from './escrow';
import { type LedgerState } from './state';
import { formatCyx } from './units';
import { supplyOf } from './views';

export interface InvariantResult {
  name: string;
  ok: boolean;
  detail?: string;
}

const MAX_LISTED = 3;

function result(name: string, problems: string[]): InvariantResult {
  if (problems.length === 0) return { name, ok: true };
  const listed = problems.slice(0, MAX_LISTED).join('; ');
  const more = problems.length > MAX_LISTED ? ` (and ${problems.length - MAX_LISTED} more)` : '';
  return { name, ok: false, detail: listed + more };
}

function equal(name: string, actual: bigint, expected: bigint, what: string): InvariantResult {
  return result(name, actual === expected ? [] : [`${what}: ${formatCyx(actual)} held, ${formatCyx(expected)} expected`]);
}

/** Every conservation rule the programs promise, checked from scratch over the whole state. */
export function checkInvariants(state: LedgerState): InvariantResult[] {
  const balance = (account: Parameters<typeof state.balances.get>[0]) => state.balances.get(account) ?? 0n;

  const negative: string[] = [];
  for (const [account, amount] of state.balances) if (amount < 0n) negative.push(`${account} holds ${formatCyx(amount)}`);

  let openRemaining = 0n;
  let fees = 0n;
  const overdrawn: string[] = [];
  for (const escrow of state.escrows.values()) {
    const remaining = remainingOf(escrow);
    if (escrow.status === 'open') openRemaining += remaining;
    fees += escrow.fees;
    if (remaining < 0n) overdrawn.push(`escrow ${escrow.escrowId} paid out ${formatCyx(-remaining)} more than its deposit`);
    if (escrow.status === 'closed' && remaining !== 0n) overdrawn.push(`closed escrow ${escrow.escrowId} still holds ${formatCyx(remaining)}`);
  }

  let stakes = 0n;
  let slashed = 0n;
  for (const node of state.nodes.values()) {
    stakes += node.stake;
    slashed += node.slashed;
  }

  const { minted, held } = supplyOf(state);
  return [
    equal('supply_equals_minted', held, minted, 'the sum of all balances against everything minted'),
    result('no_negative_balance', negative),
    equal('escrow_vault_matches_open_escrows', balance(ESCROW_VAULT), openRemaining, 'system:escrow-vault against what open escrows have left'),
    result('escrow_payouts_within_deposit', overdrawn),
    equal('stake_vault_matches_stakes', balance(STAKE_VAULT), stakes, 'system:stake-vault against the sum of node stakes'),
    equal('fees_match_releases', balance(PLATFORM_FEES), fees, 'system:platform-fees against the fees of every release'),
    equal('penalties_match_slashes', balance(PENALTIES), slashed, 'system:penalties against everything slashed'),
  ];
}
