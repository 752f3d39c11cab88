import { readFile } from 'node:fs/promises';
import path from 'node:path';

/**
 * Serves onnxruntime-web's WebAssembly runtime (the .wasm and its .mjs glue) from node_modules, so
 * the page can point `ort.env.wasm.wasmPaths` here: Turbopack does not emit these files as assets.
 * Only the files of the plain wasm build are served; nothing else in node_modules is reachable.
 */
const FILES: Record<string, string> = {
  'ort-wasm-simd-threaded.wasm': 'application/wasm',
  'ort-wasm-simd-threaded.mjs': 'text/javascript; charset=utf-8',
};

export async function GET(_req: Request, { params }: { params: Promise<{ file: string }> }) {
  const { file } = await params;
  const type = FILES[file];
  if (!type) return new Response('Not found', { status: 404 });
  const data = await readFile(path.join(process.cwd(), 'node_modules', 'onnxruntime-web', 'dist', file));
  return new Response(new Uint8Array(data), { headers: { 'Content-Type': type, 'Cache-Control': 'public, max-age=86400' } });
}
