import type { MissingPolicy } from '../../../compute/data';
import { readBodyCapped, TOO_LARGE } from '../../http/read-body-capped';
import { DatasetRejected } from '../dataset-rejected';
import { formatBytes } from '../limits';
import { missingPolicySchema } from '../reading';
import type { UploadedFile } from '../upload';

/** Room for multipart boundaries and part headers on top of the file bytes. */
const MULTIPART_OVERHEAD = 64 * 1024;

export interface UploadBody {
  name?: string;
  data: UploadedFile;
  labels?: UploadedFile;
  /** CSV: what to do with missing cells (`missing` field or `?missing=`); default refuse. */
  missing?: MissingPolicy;
}

/**
 * Reads an upload: multipart/form-data with `file` (and for IDX an optional `labels` file, a
 * `name` and for CSV a `missing` policy), or the raw file as the body with `?filename=` (and
 * `?name=`, `?missing=`). The body is read with a
 * cap, so an oversize upload is refused without buffering all of it.
 */
export async function readUpload(request: Request, maxBytes: number): Promise<UploadBody> {
  const tooLarge = () => new DatasetRejected('DATASET_TOO_LARGE', `The upload is larger than ${formatBytes(maxBytes)}, the most a dataset can be.`, {}, 413);
  const contentType = request.headers.get('content-type') ?? '';
  const multipart = contentType.startsWith('multipart/form-data');
  const cap = maxBytes + (multipart ? MULTIPART_OVERHEAD : 0);
  const body = await readBodyCapped(request, cap);
  if (body === TOO_LARGE) throw tooLarge();
  const url = new URL(request.url);

  if (!multipart) {
    const filename = url.searchParams.get('filename') ?? 'dataset.csv';
    const missing = missingPolicy(url.searchParams.get('missing'));
    return { name: url.searchParams.get('name') ?? undefined, data: { filename, bytes: body }, ...(missing ? { missing } : {}) };
  }
  let form: FormData;
  try {
    form = await new Response(body, { headers: { 'content-type': contentType } }).formData();
  } catch {
    throw new DatasetRejected('BAD_UPLOAD', 'The upload could not be read as a form; send the file as the "file" field.');
  }
  const file = form.get('file');
  if (!(file instanceof File)) throw new DatasetRejected('NO_FILE', 'Choose a CSV or IDX file to upload.');
  const labels = form.get('labels');
  const name = form.get('name');
  const missingField = form.get('missing');
  const missing = missingPolicy(typeof missingField === 'string' ? missingField : null);
  return {
    ...(typeof name === 'string' && name.trim() ? { name } : {}),
    ...(missing ? { missing } : {}),
    data: { filename: file.name || 'dataset', bytes: new Uint8Array(await file.arrayBuffer()) },
    ...(labels instanceof File && labels.size > 0 ? { labels: { filename: labels.name || 'labels', bytes: new Uint8Array(await labels.arrayBuffer()) } } : {}),
  };
}

function missingPolicy(value: string | null): MissingPolicy | undefined {
  if (value === null || value === '') return undefined;
  const parsed = missingPolicySchema.safeParse(value);
  if (!parsed.success) throw new DatasetRejected('INVALID_MISSING_POLICY', `Missing values can be 'refuse', 'drop-rows' or 'mean', not '${value.slice(0, 40)}'.`, {}, 400, 'missing');
  return parsed.data;
}
