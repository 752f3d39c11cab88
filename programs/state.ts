import { type AccountId } from './accounts';
import { type Outcome } from './outcome';

export interface EscrowRecord {
  escrowId: string;
  payer: string;
  deposit: bigint;
  released: bigint;
  refunded: bigint;
  /** Part of `released` that went to system:platform-fees. */
  fees: bigint;
  status: 'open' | 'closed';
  createdAt: number;
  closedAt: number | null;
}

export type NodeStatus = 'active' | 'unstaking' | 'banned' | 'withdrawn';

export interface NodeRecord {
  nodeId: string;
  owner: string;
  /** What sits in system:stake-vault for this node (also while unstaking). */
  stake: bigint;
  status: NodeStatus;
  registeredAt: number;
  jobs: number;
  successes: number;
  consecutiveFailures: number;
  totalDurationMs: number;
  /** Everything ever moved from this node's stake to system:penalties. */
  slashed: bigint;
  unstakeRequestedAt: number | null;
  unstakeAvailableAt: number | null;
}

export interface AppliedRecord {
  /** FNV-1a 64 of the instruction's canonical content (see digest.ts). */
  digest: string;
  /** The first outcome, returned again for a repeated key. Always a success: failures are not recorded. */
  outcome: Outcome;
}

export interface LedgerState {
  /** Non-zero balances only; an absent account holds 0. */
  balances: Map<AccountId, bigint>;
  escrows: Map<string, EscrowRecord>;
  nodes: Map<string, NodeRecord>;
  /** Total ever minted: the whole supply, since nothing else creates or destroys money. */
  minted: bigint;
  applied: Map<string, AppliedRecord>;
  /** Derived indexes for the wallet views (not encoded; rebuilt by decodeState and cloneLedger). */
  escrowsByPayer: Map<string, Set<string>>;
  nodesByOwner: Map<string, Set<string>>;
}

export function emptyLedger(): LedgerState {
  return {
    balances: new Map(),
    escrows: new Map(),
    nodes: new Map(),
    minted: 0n,
    applied: new Map(),
    escrowsByPayer: new Map(),
    nodesByOwner: new Map(),
  };
}

export function balanceOf(state: LedgerState, account: AccountId): bigint {
  return state.balances.get(account) ?? 0n;
}
