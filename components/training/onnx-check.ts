import type { OnnxCheckData } from './protocol';

export interface OnnxCheckResult {
  readonly maxAbsDiff: number;
  readonly examples: number;
  /** The outputs compared, e.g. logits and probabilities. */
  readonly outputs: readonly string[];
  readonly pass: boolean;
}

/** The agreement needed to call the export correct (float32 rounding differences are ~1e-6). */
export const ONNX_TOLERANCE = 1e-4;

/**
 * Runs the exported model in onnxruntime-web (WebAssembly, single-threaded: the page is not
 * cross-origin isolated) on RAW validation rows and compares every output with our whole pipeline
 * (the fitted preprocessing, then our forward pass): the scaling must be inside the export. The
 * runtime is loaded on demand and its .wasm comes from /api/ort/ (see app/api/ort).
 */
export async function checkOnnx(model: ArrayBuffer, data: OnnxCheckData): Promise<OnnxCheckResult> {
  const ort = await import('onnxruntime-web/wasm');
  ort.env.wasm.wasmPaths = '/api/ort/';
  ort.env.wasm.numThreads = 1;
  const session = await ort.InferenceSession.create(new Uint8Array(model), { executionProviders: ['wasm'] });
  try {
    if (!session.inputNames.includes(data.inputName)) throw new Error(`The ONNX model has no input named '${data.inputName}' (it has ${session.inputNames.join(', ')}).`);
    const input = new ort.Tensor('float32', data.features, [data.batch, ...data.inputShape]);
    const outputs = await session.run({ [data.inputName]: input });
    return { ...compareOutputs(data.expected, (name) => outputs[name]?.data as Float32Array | undefined), examples: data.batch };
  } finally {
    await session.release();
  }
}

/** Largest |runtime - ours| over every expected output; a missing or differently sized output is an error. */
export function compareOutputs(expected: OnnxCheckData['expected'], actualOf: (name: string) => ArrayLike<number> | undefined): Omit<OnnxCheckResult, 'examples'> {
  let maxAbsDiff = 0;
  const names = Object.keys(expected);
  if (names.length === 0) throw new Error('There is nothing to compare the ONNX model with.');
  for (const name of names) {
    const want = expected[name]!;
    const actual = actualOf(name);
    if (!actual) throw new Error(`The ONNX model has no output named '${name}'.`);
    if (actual.length !== want.length) throw new Error(`The ONNX output '${name}' has ${actual.length} values; our pipeline has ${want.length}.`);
    for (let i = 0; i < actual.length; i++) {
      const diff = Math.abs(actual[i]! - want[i]!);
      // NaN never passes: it would otherwise slip through Math.max.
      maxAbsDiff = Number.isNaN(diff) ? Infinity : Math.max(maxAbsDiff, diff);
    }
  }
  return { maxAbsDiff, outputs: names, pass: maxAbsDiff < ONNX_TOLERANCE };
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
