import type { Db } from 'mongodb';
import type { FetchHandler } from '../../http/fetch-bridge';
import { handleRunnerBlob, RUNNER_BLOBS_PATH } from './blob-route';
import { handleCheckpointUpload, RUNNER_CHECKPOINT_PATH } from './checkpoint-route';

/** The runner's raw HTTP routes (blobs down, checkpoints up), for servers that route before Next (api-routes.ts, the runner's test platform). */
export function runnerRouteFor(method: string, path: string, db: Db, now?: () => Date): FetchHandler | null {
  if (method === 'GET' && path.startsWith(RUNNER_BLOBS_PATH)) return (request) => handleRunnerBlob(request, db, path.slice(RUNNER_BLOBS_PATH.length));
  const checkpoint = method === 'PUT' ? RUNNER_CHECKPOINT_PATH.exec(path) : null;
  if (checkpoint) return (request) => handleCheckpointUpload(request, db, checkpoint[1]!, now);
  return null;
}
