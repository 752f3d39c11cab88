import { Readable } from 'node:stream';
import { getDb } from '../../db/client';
import { AppError } from '../../errors/app-error';
import { requireReadableDataset } from '../access';
import { openDatasetFile } from '../blob-store';
import { findBuiltin } from '../builtins';
import { builtinDownload } from './builtin-download';
import { errorResponse } from './json-error';
import { requireCaller } from './request-caller';

/**
 * GET /api/datasets/:id streams the file as uploaded (?part=labels for an IDX labels file) to anyone
 * who may read the dataset. The ETag is its SHA-256, so a tab can cache it and check what it got.
 * Built-ins that ship as files (digits, iris) are served the same way to any signed-in person.
 */
export async function handleDatasetDownload(request: Request, id: string): Promise<Response> {
  try {
    const caller = await requireCaller(request);
    // 'builtin:digits' may arrive with its colon still percent-encoded, depending on the router.
    const builtin = findBuiltin(id) ?? findBuiltin(id.replace(/%3a/gi, ':'));
    if (builtin) return builtinDownload(request, builtin);
    const dataset = await requireReadableDataset(getDb(), id, caller.user._id);
    const part = new URL(request.url).searchParams.get('part') === 'labels' ? 'labels' : 'data';
    const file = dataset.files[part];
    if (!file) throw new AppError('NOT_FOUND', 'NO_LABELS_FILE', 'This dataset has no separate labels file.', 'part');
    const etag = `"${file.sha256}"`;
    const headers = {
      'content-type': dataset.kind === 'csv' && part === 'data' ? 'text/csv; charset=utf-8' : 'application/octet-stream',
      'content-length': String(file.bytes),
      'content-disposition': `attachment; filename="${file.filename.replace(/[^\w.-]/g, '_')}"`,
      'cache-control': 'private, max-age=0, must-revalidate',
      etag,
      'x-content-sha256': file.sha256,
    };
    if (request.headers.get('if-none-match') === etag) return new Response(null, { status: 304, headers: { etag } });
    const stream = Readable.toWeb(openDatasetFile(getDb(), file.fileId)) as ReadableStream<Uint8Array>;
    return new Response(stream, { status: 200, headers });
  } catch (error) {
    return errorResponse(error);
  }
}
