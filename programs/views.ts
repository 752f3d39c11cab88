import { userAccount } from './accounts';
import { remainingOf } from './escrow';
import { type LedgerState } from './state';

export interface Wallet {
  /** Spendable now. */
  available: bigint;
  /** Locked in the user's open escrows (what is left of each deposit). */
  inEscrow: bigint;
  /** Stake of the user's active nodes. */
  staked: bigint;
  /** Stake of nodes waiting out the unstake lockup, soonest first. */
  unstaking: { nodeId: string; amount: bigint; availableAt: number }[];
}

/** The wallet page's figures; cost grows with the user's own escrows and nodes, not the ledger's. */
export function walletOf(state: LedgerState, userId: string): Wallet {
  let inEscrow = 0n;
  for (const id of state.escrowsByPayer.get(userId) ?? []) {
    const escrow = state.escrows.get(id);
    if (escrow && escrow.status === 'open') inEscrow += remainingOf(escrow);
  }
  let staked = 0n;
  const unstaking: Wallet['unstaking'] = [];
  for (const id of state.nodesByOwner.get(userId) ?? []) {
    const node = state.nodes.get(id);
    if (!node) continue;
    if (node.status === 'active') staked += node.stake;
    else if (node.status === 'unstaking' && node.unstakeAvailableAt !== null) {
      unstaking.push({ nodeId: node.nodeId, amount: node.stake, availableAt: node.unstakeAvailableAt });
    }
  }
  unstaking.sort((a, b) => a.availableAt - b.availableAt || (a.nodeId < b.nodeId ? -1 : a.nodeId > b.nodeId ? 1 : 0));
  return { available: state.balances.get(userAccount(userId)) ?? 0n, inEscrow, staked, unstaking };
}

/** held = the sum of every balance, system accounts included; it must equal minted. */
export function supplyOf(state: LedgerState): { minted: bigint; held: bigint } {
  let held = 0n;
  for (const amount of state.balances.values()) held += amount;
  return { minted: state.minted, held };
}
