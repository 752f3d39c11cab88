import type { Db, ObjectId } from 'mongodb';
import { isDuplicateKeyError } from '../db/duplicate-key';
import { jobEventsCollection, jobsCollection, type JobDoc, type JobEventDoc } from './collections';
import { jobNotFound } from './job-errors';
import type { JobEffect, JobEvent } from './job-machine';

export function jobEventId(jobId: ObjectId, version: number): string {
  return `${jobId.toHexString()}:${version}`;
}

/** What JobDoc.lastEventJson holds: the event doc less what the job doc already says (its id). */
export function encodeCarriedEvent(event: JobEventDoc): string {
  return JSON.stringify({ version: event.version, event: event.event, effects: event.effects, at: event.at.getTime() });
}

export function carriedEvent(doc: Pick<JobDoc, '_id' | 'lastEventJson'>): JobEventDoc | null {
  if (doc.lastEventJson === null) return null;
  const raw = JSON.parse(doc.lastEventJson) as { version: number; event: JobEvent; effects: JobEffect[]; at: number };
  return { _id: jobEventId(doc._id, raw.version), jobId: doc._id, version: raw.version, event: raw.event, effects: raw.effects, at: new Date(raw.at) };
}

/**
 * Appends events that may already be there: each _id is jobId:version, so one written before (by a
 * run that got this far, or the carried event of a job whose last run crashed before its insert) is
 * left as it was. Unordered, so a duplicate does not stop the others.
 */
export async function appendJobEvents(db: Db, events: readonly JobEventDoc[]): Promise<void> {
  if (events.length === 0) return;
  try {
    await jobEventsCollection(db).insertMany([...events], { ordered: false });
  } catch (error) {
    const writeErrors = (error as { writeErrors?: unknown }).writeErrors;
    const list = Array.isArray(writeErrors) ? writeErrors : writeErrors ? [writeErrors] : [error];
    if (!list.every((e: unknown) => isDuplicateKeyError(e) || isDuplicateKeyError((e as { err?: unknown }).err))) throw error;
  }
}

/**
 * Every transition of a job, oldest first: the jobEvents log plus the event the job document
 * carries, which the log lacks while it is an assign (assignBatch leaves it to the job's next
 * transition) or if the process that made it died before appending it.
 */
export async function jobTimeline(db: Db, jobId: ObjectId): Promise<JobEventDoc[]> {
  const [doc, logged] = await Promise.all([
    jobsCollection(db).findOne({ _id: jobId }, { projection: { _id: 1, lastEventJson: 1 } }),
    jobEventsCollection(db).find({ jobId }).toArray(),
  ]);
  if (!doc) throw jobNotFound();
  const carried = carriedEvent(doc);
  if (carried && !logged.some((e) => e.version === carried.version)) logged.push(carried);
  return logged.sort((a, b) => a.version - b.version);
}
