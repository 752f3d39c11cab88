import { getDb } from '../../db/client';
import { datasetMaxBytes } from '../limits';
import { datasetSummary } from '../summary';
import { uploadDataset } from '../upload';
import { errorResponse } from './json-error';
import { readUpload } from './read-upload';
import { requireCaller } from './request-caller';

/** POST /api/datasets: 201 with the new dataset, or a JSON error naming the row and column. */
export async function handleDatasetUpload(request: Request): Promise<Response> {
  try {
    const caller = await requireCaller(request);
    const upload = await readUpload(request, datasetMaxBytes());
    const dataset = await uploadDataset(getDb(), caller.user._id, upload);
    return Response.json(datasetSummary(dataset), { status: 201 });
  } catch (error) {
    return errorResponse(error);
  }
}
