import { describe, expect, it } from 'vitest';
import { serveOrtFile } from './ort-runtime-files';

describe('onnxruntime-web runtime files', () => {
  it.each(['constructor', '__proto__', 'toString', 'hasOwnProperty', 'package.json', '../package.json'])('answers 404 to %s', async (file) => {
    const res = await serveOrtFile(file);
    expect(res.status).toBe(404);
  });

  it('serves the wasm glue with its type', async () => {
    const res = await serveOrtFile('ort-wasm-simd-threaded.mjs');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect((await res.arrayBuffer()).byteLength).toBeGreaterThan(0);
  });
});
