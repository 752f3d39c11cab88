// Account ids: one per user, plus the system accounts money passes through. Only the programs move
// money into or out of system accounts; no instruction names one directly.
export type SystemAccount = 'system:platform-fees' | 'system:escrow-vault' | 'system:stake-vault' | 'system:penalties';
export type AccountId = `user:${string}` | SystemAccount;

export const PLATFORM_FEES: SystemAccount = 'system:platform-fees';
export const ESCROW_VAULT: SystemAccount = 'system:escrow-vault';
export const STAKE_VAULT: SystemAccount = 'system:stake-vault';
export const PENALTIES: SystemAccount = 'system:penalties';
export const SYSTEM_ACCOUNTS: readonly SystemAccount[] = [PLATFORM_FEES, ESCROW_VAULT, STAKE_VAULT, PENALTIES];

export function userAccount(userId: string): AccountId {
  return `user:${userId}`;
}

export function isAccountId(value: string): value is AccountId {
  return (value.startsWith('user:') && value.length > 5) || (SYSTEM_ACCOUNTS as readonly string[]).includes(value);
}
