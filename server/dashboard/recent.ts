import type { Db, ObjectId } from 'mongodb';
import { jobsCollection } from '../jobs/collections';
import { namesOf, withNames, type JobListItem } from '../jobs/job-views';
import { listModels, type ModelListItem } from '../models/list';
import { runsCollection } from '../runs/collection';

/** How many of each the dashboard shows; the full lists are a click away. */
export const RECENT_LIMIT = 5;

export interface RecentRun {
  id: string;
  modelId: string;
  modelName: string;
  name: string;
  dataset: string;
  device: string;
  status: 'completed' | 'stopped';
  finalAccuracy: number | null;
  testAccuracy: number | null;
  epochs: number;
  createdAt: string;
}

export interface RecentActivity {
  models: ModelListItem[];
  runs: RecentRun[];
  jobs: JobListItem[];
}

/**
 * The person's most recently edited models (theirs and shared), the runs they saved, and their
 * network jobs: each an indexed equality on the person, newest first, a handful of rows; the
 * three queries run side by side, then one name lookup for the runs' models.
 */
export async function recentActivity(db: Db, userId: ObjectId): Promise<RecentActivity> {
  const [models, runDocs, jobDocs] = await Promise.all([
    listModels(db, userId, { limit: RECENT_LIMIT }),
    // The batch samples are the bulk of a run; the dashboard needs only the epoch count.
    runsCollection(db).find({ userId }, { projection: { 'metrics.batches': 0, config: 0, preprocessing: 0, inputColumns: 0, classNames: 0 } }).sort({ _id: -1 }).limit(RECENT_LIMIT).toArray(),
    jobsCollection(db).find({ ownerId: userId }).sort({ createdAt: -1, _id: -1 }).limit(RECENT_LIMIT).toArray(),
  ]);
  const [names, jobs] = await Promise.all([namesOf(db, runDocs.map((r) => r.modelId), []), withNames(db, jobDocs)]);
  const runs = runDocs.flatMap((r): RecentRun[] => {
    const modelName = names.models.get(r.modelId.toHexString());
    // A run whose model was deleted has nowhere to link to.
    if (modelName === undefined) return [];
    return [
      {
        id: r._id.toHexString(),
        modelId: r.modelId.toHexString(),
        modelName,
        name: r.name,
        dataset: r.dataset,
        device: r.device,
        status: r.status,
        finalAccuracy: r.finalAccuracy,
        testAccuracy: r.testAccuracy ?? null,
        epochs: r.metrics?.epochs?.length ?? 0,
        createdAt: r.createdAt.toISOString(),
      },
    ];
  });
  return { models: models.items, runs, jobs };
}
