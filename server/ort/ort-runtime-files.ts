import { readFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Serves onnxruntime-web's WebAssembly runtime (the .wasm and its .mjs glue) from node_modules, so
 * the page can point `ort.env.wasm.wasmPaths` at app/api/ort: Turbopack does not emit these files
 * as assets. Only the files of the plain wasm build are served; nothing else in node_modules is
 * reachable, and names like "constructor" are not mistaken for entries (Object.hasOwn).
 */
const FILES: Readonly<Record<string, string>> = {
  'ort-wasm-simd-threaded.wasm': 'application/wasm',
  'ort-wasm-simd-threaded.mjs': 'text/javascript; charset=utf-8',
};

export async function serveOrtFile(file: string): Promise<Response> {
  if (!Object.hasOwn(FILES, file)) return new Response('Not found', { status: 404 });
  const data = await readFile(path.join(process.cwd(), 'node_modules', 'onnxruntime-web', 'dist', file));
  return new Response(new Uint8Array(data), { headers: { 'Content-Type': FILES[file]!, 'Cache-Control': 'public, max-age=86400' } });
}
