import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseCsv, type ClassificationDataset } from '../../compute/data';
import { AppError } from '../errors/app-error';
import { builtinCsv, builtinSummary, findBuiltin } from './builtins';
import { builtinDownload } from './http/builtin-download';

const shared = (name: string) => new Uint8Array(readFileSync(path.resolve(process.cwd(), '../shared/datasets', name)));

function fileBuiltin(id: string) {
  const builtin = findBuiltin(id);
  if (builtin?.source !== 'file') throw new Error(`${id} is not a file built-in`);
  return builtin;
}

describe('built-in datasets shipped as files', () => {
  it('decompress to exactly the scikit-learn CSVs', () => {
    expect(Buffer.from(builtinCsv(fileBuiltin('builtin:digits'))).equals(Buffer.from(shared('digits.csv')))).toBe(true);
    expect(Buffer.from(builtinCsv(fileBuiltin('builtin:iris'))).equals(Buffer.from(shared('iris.csv')))).toBe(true);
  });

  it('summarise digits as 64 features and 10 classes, iris as 4 features and its 3 species', () => {
    const digits = builtinSummary(fileBuiltin('builtin:digits'));
    expect(digits).toMatchObject({ source: 'file', rows: 1797, columns: 65, featureShape: [64], labelColumn: 64, numClasses: 10 });
    expect(digits.preview.rows[0]!.slice(0, 4)).toEqual(['0', '0', '5', '13']);
    const iris = builtinSummary(fileBuiltin('builtin:iris'));
    expect(iris).toMatchObject({ source: 'file', rows: 150, columns: 5, featureShape: [4], labelColumn: 4, numClasses: 3, classNames: ['setosa', 'versicolor', 'virginica'] });
    expect(iris.preview.rows[0]!.slice(0, 4)).toEqual(['5.1', '3.5', '1.4', '0.2']);
  });

  it('are served as CSV that the tab’s CSV reader parses like the summary says', async () => {
    const response = builtinDownload(new Request('http://x/api/datasets/builtin:iris'), fileBuiltin('builtin:iris'));
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect(response.headers.get('x-content-sha256')).toBe(createHash('sha256').update(shared('iris.csv')).digest('hex'));
    const dataset = parseCsv(new TextDecoder().decode(bytes), { label: -1 }) as ClassificationDataset;
    expect([dataset.size, dataset.featureShape, dataset.numClasses, dataset.classNames]).toEqual([150, [4], 3, ['setosa', 'versicolor', 'virginica']]);

    const again = builtinDownload(new Request('http://x/', { headers: { 'if-none-match': response.headers.get('etag')! } }), fileBuiltin('builtin:iris'));
    expect(again.status).toBe(304);
  });

  it('refuse a download of a generated built-in with a stable code', () => {
    let error: unknown;
    try {
      builtinDownload(new Request('http://x/'), findBuiltin('builtin:spirals')!);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ kind: 'NOT_FOUND', code: 'BUILTIN_HAS_NO_FILE' });
  });
});
