import type { DatasetReading } from '../db/collections';
import { DatasetRejected, type CellLocation, type RejectionStatus } from './dataset-rejected';
import { inspectCsv, type InspectedDataset } from './inspect-csv';
import { inspectIdx } from './inspect-idx';

/** What the parse worker is asked to check (the bytes are copied to it). */
export type ParseTask =
  | { kind: 'csv'; bytes: Uint8Array; labelColumn?: number; reading?: DatasetReading; field?: string }
  | { kind: 'idx'; data: Uint8Array; labels?: Uint8Array };

export interface SerializedRejection {
  code: string;
  message: string;
  location: CellLocation;
  status: RejectionStatus;
  field: string;
}

/** The worker's one message back: errors cross the thread as plain data and are rebuilt there. */
export type ParseOutcome =
  | { ok: true; inspected: InspectedDataset }
  | { ok: false; rejected: SerializedRejection }
  | { ok: false; tooComplex: string }
  | { ok: false; failed: string };

/** Runs inside the worker (parse-worker.mjs). */
export function runParseTask(task: ParseTask): ParseOutcome {
  try {
    const inspected = task.kind === 'csv' ? inspectCsv(task.bytes, task.labelColumn, task.reading, task.field) : inspectIdx(task.data, task.labels);
    return { ok: true, inspected };
  } catch (error) {
    if (error instanceof DatasetRejected) {
      return { ok: false, rejected: { code: error.code, message: error.message, location: error.location, status: error.status, field: error.field ?? 'file' } };
    }
    // "Invalid array length", "Array buffer allocation failed": the data asked for more than exists.
    if (error instanceof RangeError) return { ok: false, tooComplex: error.message };
    return { ok: false, failed: error instanceof Error ? (error.stack ?? error.message) : String(error) };
  }
}
