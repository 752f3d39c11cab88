import { AppError } from '../../errors/app-error';
import { builtinCsv, builtinSha256, type BuiltinDataset } from '../builtins';

/** A shipped built-in's CSV; the generated ones (spirals, blobs) have no file. */
export function builtinDownload(request: Request, builtin: BuiltinDataset): Response {
  if (builtin.source !== 'file') throw new AppError('NOT_FOUND', 'BUILTIN_HAS_NO_FILE', 'This built-in dataset is generated in the browser; there is no file to download.');
  const bytes = builtinCsv(builtin);
  const sha256 = builtinSha256(builtin);
  const etag = `"${sha256}"`;
  if (request.headers.get('if-none-match') === etag) return new Response(null, { status: 304, headers: { etag } });
  const body = new Uint8Array(bytes);
  return new Response(body, {
    status: 200,
    headers: {
      'content-type': 'text/csv; charset=utf-8',
      'content-length': String(body.byteLength),
      'content-disposition': `attachment; filename="${builtin.file.replace(/\.gz$/, '')}"`,
      'cache-control': 'private, max-age=0, must-revalidate',
      etag,
      'x-content-sha256': sha256,
    },
  });
}
