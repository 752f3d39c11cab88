// The ledger executor: the programs' instructions applied over an append-only log in the database.
export { LedgerExecutor, DEFAULT_SNAPSHOT_EVERY, MAX_BATCH, type LedgerOptions, type SubmitResult, type Success, type VerifyReport } from './executor';
export { closeLedger, getLedger } from './get-ledger';
export { MAX_HISTORY_PAGE, type HistoryEntry, type HistoryPage, type HistoryRequest } from './history';
export { LedgerFailure, type LedgerFailureCode } from './ledger-failure';
export { seqOfKey } from './log-store';
