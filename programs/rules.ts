import { cyx } from './units';

// The numbers the programs enforce, named so the scheduler, the UI and the README quote one source.

/** Largest amount or supply: fits a signed 64-bit integer, so any store can hold it exactly. */
export const MAX_AMOUNT = 2n ** 63n - 1n;
export const MAX_ID_LENGTH = 200;
export const MAX_TEXT_LENGTH = 500;

/** fee = floor(amount / FEE_DIVISOR) to system:platform-fees; the provider gets the rest. */
export const FEE_DIVISOR = 10n;

export const MIN_STAKE = cyx(100);
export const UNSTAKE_LOCKUP_MS = 7 * 24 * 60 * 60 * 1000;

/** Percent of the current stake each slash reason takes. */
export const SLASH_PERCENT = { timeout: 10, invalid_result: 25, repeated_failures: 100 } as const;
/**
 * Percent of the current stake an administrator's ban takes (ban_node): the same as a ban for
 * repeated failures, so a ban by hand is never the cheaper way out for a provider.
 */
export const ADMIN_BAN_PERCENT = SLASH_PERCENT.repeated_failures;
/** Consecutive failed results a node must have before a repeated_failures slash (which also bans it). */
export const REPEATED_FAILURES = 3;
