import { type LedgerState } from './state';

export interface Wallet {
  available: bigint;
  inEscrow: bigint;
  staked: bigint;
  unstaking: { nodeId: string; amount: bigint; availableAt: number }[];
}

export function walletOf(_state: LedgerState, _userId: string): Wallet {
  return { available: 0n, inEscrow: 0n, staked: 0n, unstaking: [] };
}

export function supplyOf(_state: LedgerState): { minted: bigint; held: bigint } {
  return { minted: 0n, held: 0n };
}
