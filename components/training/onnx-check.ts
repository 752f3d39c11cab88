import type { OnnxCheckData } from './protocol';

export interface OnnxCheckResult {
  readonly maxAbsDiff: number;
  readonly examples: number;
  readonly pass: boolean;
}

/** The agreement needed to call the export correct (float32 rounding differences are ~1e-6). */
export const ONNX_TOLERANCE = 1e-4;

/**
 * Runs the exported model in onnxruntime-web (WebAssembly, single-threaded: the page is not
 * cross-origin isolated) on validation rows and compares with our own forward pass. The runtime is
 * loaded on demand and its .wasm comes from /api/ort/ (see app/api/ort).
 */
export async function checkOnnx(model: ArrayBuffer, data: OnnxCheckData): Promise<OnnxCheckResult> {
  const ort = await import('onnxruntime-web/wasm');
  ort.env.wasm.wasmPaths = '/api/ort/';
  ort.env.wasm.numThreads = 1;
  const session = await ort.InferenceSession.create(new Uint8Array(model), { executionProviders: ['wasm'] });
  try {
    const input = new ort.Tensor('float32', data.features, [data.batch, ...data.inputShape]);
    const outputs = await session.run({ [data.inputName]: input });
    const first = outputs[session.outputNames[0]!];
    if (!first) throw new Error('The ONNX model produced no output.');
    const actual = first.data as Float32Array;
    if (actual.length !== data.expected.length) throw new Error(`The ONNX output has ${actual.length} values; our forward pass has ${data.expected.length}.`);
    let maxAbsDiff = 0;
    for (let i = 0; i < actual.length; i++) maxAbsDiff = Math.max(maxAbsDiff, Math.abs(actual[i]! - data.expected[i]!));
    return { maxAbsDiff, examples: data.batch, pass: maxAbsDiff < ONNX_TOLERANCE };
  } finally {
    await session.release();
  }
}

/** Saves bytes as a file through a temporary object URL. */
export function download(name: string, bytes: ArrayBuffer | Uint8Array, mime = 'application/octet-stream'): void {
  const blob = new Blob([bytes instanceof Uint8Array ? new Uint8Array(bytes) : bytes], { type: mime });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
