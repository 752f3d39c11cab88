import { ObjectId, type Db } from 'mongodb';
import type { MissingPolicy } from '../../compute/data';
import { collections, type DatasetDoc, type DatasetFileRef, type DatasetReading } from '../db/collections';
import { deleteDatasetFile, putDatasetFile } from './blob-store';
import { DatasetRejected } from './dataset-rejected';
import { detectKind } from './detect-kind';
import { DEFAULT_VALIDATION_SPLIT, datasetMaxBytes, formatBytes } from './limits';
import { inspectOffThread } from './parse-off-thread';
import { deletePreview, putPreview } from './previews';
import { DEFAULT_READING } from './reading';

export interface UploadedFile {
  filename: string;
  bytes: Uint8Array;
}

/**
 * Checks, parses and stores an upload. Order matters for "nothing half-written": everything is
 * parsed (in a worker, see inspectOffThread) before anything is stored; then the preview, the
 * files and last the record that makes the dataset exist. A failed write removes the earlier ones;
 * what a crash leaves, sweep-orphans removes after its grace period.
 */
export async function uploadDataset(db: Db, ownerId: ObjectId, input: { name?: string; data: UploadedFile; labels?: UploadedFile; missing?: MissingPolicy }): Promise<DatasetDoc> {
  const total = input.data.bytes.byteLength + (input.labels?.bytes.byteLength ?? 0);
  const max = datasetMaxBytes();
  if (total > max) {
    throw new DatasetRejected('DATASET_TOO_LARGE', `The file is ${formatBytes(total)}; datasets can be at most ${formatBytes(max)}.`, {}, 413);
  }
  if (input.data.bytes.byteLength === 0) throw new DatasetRejected('EMPTY_FILE', 'The file is empty.');
  const kind = detectKind(input.data.filename, input.data.bytes);
  if (kind === 'csv' && input.labels) {
    throw new DatasetRejected('UNEXPECTED_LABELS_FILE', 'A CSV keeps its labels in a column; a separate labels file is only for IDX data.', {}, 400, 'labels');
  }
  const reading: DatasetReading = { ...DEFAULT_READING, ...(input.missing ? { missing: input.missing } : {}) };
  const inspected = await inspectOffThread(kind === 'csv' ? { kind, bytes: input.data.bytes, reading } : { kind, data: input.data.bytes, ...(input.labels ? { labels: input.labels.bytes } : {}) });

  const _id = new ObjectId();
  const stored: DatasetFileRef[] = [];
  try {
    await putPreview(db, _id, ownerId, inspected.preview);
    const data = await putDatasetFile(db, input.data.filename, input.data.bytes, { datasetId: _id, ownerId, role: 'data' });
    stored.push(data);
    const labels = input.labels ? await putDatasetFile(db, input.labels.filename, input.labels.bytes, { datasetId: _id, ownerId, role: 'labels' }) : undefined;
    if (labels) stored.push(labels);
    const now = new Date();
    const doc: DatasetDoc = {
      _id,
      ownerId,
      name: datasetName(input.name, input.data.filename),
      kind,
      bytes: total,
      sha256: data.sha256,
      files: { data, ...(labels ? { labels } : {}) },
      rows: inspected.rows,
      columns: inspected.columnNames.length,
      columnNames: inspected.columnNames,
      featureShape: inspected.featureShape,
      labelColumn: inspected.labelColumn,
      numClasses: inspected.numClasses,
      classNames: inspected.classNames,
      validationSplit: DEFAULT_VALIDATION_SPLIT,
      ...(kind === 'csv' ? { reading, droppedRows: inspected.droppedRows ?? 0 } : {}),
      createdAt: now,
      updatedAt: now,
    };
    await collections(db).datasets.insertOne(doc);
    return doc;
  } catch (error) {
    await Promise.all([...stored.map((f) => deleteDatasetFile(db, f.fileId).catch(() => undefined)), deletePreview(db, _id).catch(() => undefined)]);
    throw error;
  }
}

/** The name given, else the file's name without its extension. */
function datasetName(given: string | undefined, filename: string): string {
  const name = given?.trim() || filename.replace(/\.[^.]*$/, '') || 'Untitled dataset';
  return name.slice(0, 100);
}
