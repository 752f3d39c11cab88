import type { Db } from 'mongodb';
import type { Graph } from '../../compute/graph/types';
import { collections } from '../db/collections';
import { jobCheckpointsCollection, jobEventsCollection, type JobCheckpointDoc, type JobDoc, type JobEventDoc } from './collections';
import { carriedEvent } from './job-events-log';
import { readJobSpec } from './job-spec';
import type { JobEventType } from './job-machine';
import { jobView, namesOf, type JobListItem } from './job-views';

/** The newest transitions the job page shows; older ones are summarised by the count. */
export const DETAIL_EVENT_LIMIT = 200;
/** Lease renewals and progress ticks are bookkeeping, not milestones: the timeline leaves them out. */
const QUIET_EVENTS: readonly JobEventType[] = ['renew', 'progress'];

export interface JobTimelineEntry {
  version: number;
  type: JobEventType;
  at: string;
  /** assign: where it went. */
  machineId: string | null;
  unitId: string | null;
  /** escrow_refused / fail / an administrator's action: why. */
  reason: string | null;
}

export interface JobCheckpointView {
  sha256: string;
  step: number;
  epochIndex: number;
  bytes: number;
  machineId: string;
  machineName: string | null;
  verified: boolean;
  /** Why it did not verify, in words; null when it did. */
  reason: string | null;
  reported: JobCheckpointDoc['reported'];
  platform: JobCheckpointDoc['platform'];
  releasedMicro: string;
  at: string;
}

export interface JobDetail {
  job: JobListItem;
  timeline: JobTimelineEntry[];
  /** Whether older transitions than these exist (the page says so instead of loading them). */
  timelineTruncated: boolean;
  checkpoints: JobCheckpointView[];
  /**
   * The graph the job trained (its frozen spec), once it has a result: the page builds the ONNX
   * file and the PyTorch code from it and the result's weights in the browser (compute/export is
   * pure), even after the model was edited. Null before completion.
   */
  resultGraph: Graph | null;
}

export function timelineEntry(e: JobEventDoc): JobTimelineEntry {
  const event = e.event;
  return {
    version: e.version,
    type: event.type,
    at: e.at.toISOString(),
    machineId: event.type === 'assign' ? event.machineId : null,
    unitId: event.type === 'assign' ? event.unitId : null,
    reason: 'reason' in event ? event.reason : null,
  };
}

function checkpointView(c: JobCheckpointDoc, machineName: string | null): JobCheckpointView {
  return {
    sha256: c.sha256,
    step: c.step,
    epochIndex: c.epochIndex,
    bytes: c.bytes,
    machineId: c.machineId,
    machineName,
    verified: c.verified,
    reason: c.reason,
    reported: c.reported,
    platform: c.platform,
    releasedMicro: c.releasedMicro,
    at: c.at.toISOString(),
  };
}

/**
 * Everything the job page shows besides the live points (jobs.watch streams those), for a job the
 * caller may see (job-access.ts): its view with names, the milestones of its timeline and every
 * checkpoint with what verification said and what it released (and, once done, the trained graph).
 * Three reads in parallel (four with a result), then one for the names; the job document itself is the one the access check read.
 */
export async function jobDetail(db: Db, job: JobDoc): Promise<JobDetail> {
  const [model, logged, checkpoints, spec] = await Promise.all([
    collections(db).models.findOne({ _id: job.modelId }, { projection: { name: 1 } }),
    // Renewals come every heartbeat: filtered in the query, or a long job's milestones would fall off the limit.
    jobEventsCollection(db).find({ jobId: job._id, 'event.type': { $nin: [...QUIET_EVENTS] } }).sort({ version: -1 }).limit(DETAIL_EVENT_LIMIT).toArray(),
    jobCheckpointsCollection(db).find({ jobId: job._id }).toArray(),
    job.resultRunId ? readJobSpec(db, job._id) : null,
  ]);
  // The event the job document carries is missing from the log while it is an assign (assignBatch leaves it to the next transition) or if its writer died before appending it.
  const carried = carriedEvent(job);
  const truncated = logged.length === DETAIL_EVENT_LIMIT;
  if (carried && !QUIET_EVENTS.includes(carried.event.type) && !logged.some((e) => e.version === carried.version)) logged.push(carried);
  const view = jobView(job);
  const { machines } = await namesOf(db, [], [...(view.machineId ? [view.machineId] : []), ...checkpoints.map((c) => c.machineId)]);
  return {
    job: { ...view, modelName: model?.name ?? null, machineName: view.machineId ? (machines.get(view.machineId) ?? null) : null },
    timeline: logged.sort((a, b) => a.version - b.version).map(timelineEntry),
    timelineTruncated: truncated,
    checkpoints: checkpoints.sort((a, b) => a.step - b.step || a.at.getTime() - b.at.getTime()).map((c) => checkpointView(c, machines.get(c.machineId) ?? null)),
    resultGraph: spec?.graph ?? null,
  };
}
