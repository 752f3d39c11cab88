import { readFileSync } from 'node:fs';
import * as ort from 'onnxruntime-web';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportOnnx } from '@/compute/export';
import { mlpClassifier } from '@/compute/graph/examples';
import { buildModelPlan, initParameters } from '@/compute/model';
import { compareOutputs, ONNX_TOLERANCE } from './onnx-check';
import { onnxCheckData } from './onnx-check-data';
import { prepareData } from '@/compute/train/prepare-data';
import type { DataSpec } from './protocol';

beforeAll(() => {
  ort.env.wasm.numThreads = 1;
});

/** scikit-learn's iris as the panel would get it from an upload: raw CSV bytes. */
function irisSpec(): DataSpec {
  const bytes = readFileSync(new URL('../../../shared/datasets/iris.csv', import.meta.url));
  return { kind: 'csv', label: 'iris.csv', bytes: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer, labelColumn: null };
}

async function run(model: Uint8Array, inputName: string, features: Float32Array, batch: number) {
  const session = await ort.InferenceSession.create(model);
  const outputs = await session.run({ [inputName]: new ort.Tensor('float32', features, [batch, 4]) });
  await session.release();
  return (name: string) => outputs[name]?.data as Float32Array | undefined;
}

describe('the in-page ONNX check', () => {
  for (const kind of ['standardize', 'minmax'] as const) {
    it(`feeds raw rows and passes only with the ${kind} preprocessing inside the export`, async () => {
      const data = prepareData(irisSpec(), 0.2, 0.1, 4, kind);
      expect(data.summary.preprocessing.kind).toBe(kind);
      const plan = buildModelPlan(mlpClassifier(4, [16], 3));
      const params = initParameters(plan, { seed: 2 });
      const check = onnxCheckData(plan, params, data);
      expect(check.batch).toBe(data.validation.size);
      expect(Object.keys(check.expected)).toEqual(['logits', 'probabilities']);
      // The rows are the unscaled CSV values (iris petal lengths reach ~7 cm).
      expect(Array.from(check.features)).toEqual(Array.from(data.rawValidation.features.subarray(0, check.features.length)));
      expect(Math.max(...check.features)).toBeGreaterThan(5);

      const model = { preprocessing: data.summary.preprocessing, classNames: data.summary.classNames };
      const good = compareOutputs(check.expected, await run(exportOnnx(plan, params, { model }), check.inputName, check.features, check.batch));
      expect(good.outputs).toEqual(['logits', 'probabilities']);
      expect(good.maxAbsDiff).toBeLessThan(ONNX_TOLERANCE);
      expect(good.pass).toBe(true);

      // An export without its preprocessing (the old one, input named by node id) fails on the same raw rows.
      const bare = await run(exportOnnx(plan, params, { softmax: false }), plan.inputs[0]!.id, check.features, check.batch);
      const bad = compareOutputs({ logits: check.expected['logits']! }, bare);
      expect(bad.pass).toBe(false);
    });
  }

  it('names a missing or differently sized output, and never passes NaN', () => {
    const expected = { logits: Float32Array.of(1, 2) };
    expect(() => compareOutputs(expected, () => undefined)).toThrow("The ONNX model has no output named 'logits'.");
    expect(() => compareOutputs(expected, () => [1])).toThrow("The ONNX output 'logits' has 1 values; our pipeline has 2.");
    expect(compareOutputs(expected, () => [1, Number.NaN]).pass).toBe(false);
    expect(compareOutputs(expected, () => [1, 2.00001]).pass).toBe(true);
  });
});
