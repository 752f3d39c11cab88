import { type LedgerState } from './state';

export interface InvariantResult {
  name: string;
  ok: boolean;
  detail?: string;
}

export function checkInvariants(_state: LedgerState): InvariantResult[] {
  return [];
}
