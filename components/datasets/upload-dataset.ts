/** What POST /api/datasets answers when it refuses a file. */
export interface UploadError {
  code: string;
  message: string;
  field?: string;
  row?: number;
  column?: number;
  columnName?: string;
}

export interface UploadHandle {
  done: Promise<{ id: string; name: string }>;
  abort(): void;
}

/**
 * Sends the files with XMLHttpRequest because fetch cannot report upload progress. IDX data may
 * come with its labels file; the larger of two files is the examples, the smaller the labels.
 */
export function uploadDataset(files: File[], onProgress: (fraction: number) => void, missing = 'refuse'): UploadHandle {
  const [data, labels] = [...files].sort((a, b) => b.size - a.size);
  const form = new FormData();
  if (data) form.append('file', data);
  if (labels) form.append('labels', labels);
  form.append('missing', missing);
  const xhr = new XMLHttpRequest();
  const done = new Promise<{ id: string; name: string }>((resolve, reject) => {
    xhr.upload.addEventListener('progress', (event) => {
      if (event.lengthComputable) onProgress(event.loaded / event.total);
    });
    xhr.addEventListener('load', () => {
      let body: unknown = null;
      try {
        body = JSON.parse(xhr.responseText);
      } catch {
        // Not JSON: a proxy or the server failing outright; reported below.
      }
      if (xhr.status === 201 && body) return resolve(body as { id: string; name: string });
      const error = body && typeof body === 'object' && 'message' in body ? (body as UploadError) : { code: 'UPLOAD_FAILED', message: `The upload failed (HTTP ${xhr.status}). Please try again.` };
      reject(error);
    });
    xhr.addEventListener('error', () => reject({ code: 'NETWORK', message: 'The upload was interrupted. Check your connection and try again.' } satisfies UploadError));
    xhr.addEventListener('abort', () => reject({ code: 'ABORTED', message: 'Upload cancelled.' } satisfies UploadError));
  });
  xhr.open('POST', '/api/datasets');
  xhr.send(form);
  return { done, abort: () => xhr.abort() };
}

export function isUploadError(value: unknown): value is UploadError {
  return typeof value === 'object' && value !== null && 'code' in value && 'message' in value;
}
