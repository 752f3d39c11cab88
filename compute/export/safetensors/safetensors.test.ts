import { describe, expect, it } from 'vitest';
import { mlpClassifier } from '../../graph/examples';
import { initParameters } from '../../model/init';
import { buildModelPlan } from '../../model/plan';
import { CpuTrainer } from '../../model/trainer';
import { everyLayerGraph } from '../../model/testing/every-layer-graph';
import { loadCheckpoint, saveCheckpoint } from './checkpoint';
import { readSafetensors, writeSafetensors, type SafetensorsTensor } from './format';
import { SafetensorsError } from './safetensors-error';
import { loadWeights, saveWeights } from './weights';

function headerOf(bytes: Uint8Array): { length: number; json: Record<string, unknown> } {
  const length = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  return { length, json: JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + length))) };
}

/** A file with a hand-written header, for malformed cases. */
function craft(header: unknown, dataBytes: number, rawHeader?: string): Uint8Array {
  const text = new TextEncoder().encode(rawHeader ?? JSON.stringify(header));
  const out = new Uint8Array(8 + text.length + dataBytes);
  new DataView(out.buffer).setBigUint64(0, BigInt(text.length), true);
  out.set(text, 8);
  return out;
}

function expectError(fn: () => unknown, code: string, message: RegExp): void {
  try {
    fn();
    expect.unreachable();
  } catch (error) {
    expect(error).toBeInstanceOf(SafetensorsError);
    expect((error as SafetensorsError).code).toBe(code);
    expect((error as Error).message).toMatch(message);
  }
}

describe('safetensors format', () => {
  it('writes the documented layout: u64 LE header length, JSON header, 8-byte aligned data', () => {
    const tensors = new Map<string, SafetensorsTensor>([
      ['a', { dtype: 'F32', shape: [2, 2], data: Float32Array.of(1, 2, 3, 4.5) }],
      ['n', { dtype: 'I32', shape: [3], data: Int32Array.of(-1, 0, 7) }],
    ]);
    const bytes = writeSafetensors(tensors, { note: 'hi' });
    const { length, json } = headerOf(bytes);
    expect((8 + length) % 8).toBe(0);
    expect(json).toEqual({
      __metadata__: { note: 'hi' },
      a: { dtype: 'F32', shape: [2, 2], data_offsets: [0, 16] },
      n: { dtype: 'I32', shape: [3], data_offsets: [16, 28] },
    });
    expect(bytes.length).toBe(8 + length + 28);
    const view = new DataView(bytes.buffer, 8 + length);
    expect(view.getFloat32(12, true)).toBe(4.5);
    expect(view.getInt32(16, true)).toBe(-1);

    const back = readSafetensors(bytes);
    expect(back.metadata).toEqual({ note: 'hi' });
    expect([...back.tensors.keys()]).toEqual(['a', 'n']);
    expect(Array.from(back.tensors.get('a')!.data)).toEqual([1, 2, 3, 4.5]);
    expect(back.tensors.get('n')!.data).toBeInstanceOf(Int32Array);
    expect(Array.from(back.tensors.get('n')!.data)).toEqual([-1, 0, 7]);
  });

  it('reads data at unaligned offsets and zero-sized tensors', () => {
    // A header whose length is not a multiple of 8 (other writers may not pad).
    const header = { e: { dtype: 'F32', shape: [0], data_offsets: [0, 0] }, x: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } };
    const raw = JSON.stringify(header) + ' ';
    const bytes = craft(undefined, 4, raw);
    new DataView(bytes.buffer).setFloat32(8 + raw.length, 3.25, true);
    const file = readSafetensors(bytes);
    expect(Array.from(file.tensors.get('x')!.data)).toEqual([3.25]);
    expect(file.tensors.get('e')!.data.length).toBe(0);
  });

  it('rejects malformed files with a code and a specific message', () => {
    expectError(() => readSafetensors(new Uint8Array(5)), 'TOO_SHORT', /only 5 bytes/);
    const tooLong = new Uint8Array(16);
    new DataView(tooLong.buffer).setBigUint64(0, 1000n, true);
    expectError(() => readSafetensors(tooLong), 'BAD_HEADER_LENGTH', /claims 1000 bytes but the file has only 8/);
    expectError(() => readSafetensors(craft(undefined, 0, '{"a": ')), 'BAD_HEADER_JSON', /not valid UTF-8 JSON/);
    expectError(() => readSafetensors(craft(undefined, 0, '[1]')), 'BAD_HEADER_JSON', /must be a JSON object/);
    expectError(() => readSafetensors(craft({ w: { dtype: 'F16', shape: [1], data_offsets: [0, 2] } }, 2)), 'UNSUPPORTED_DTYPE', /'w' has dtype F16; only F32 and I32/);
    expectError(() => readSafetensors(craft({ w: { dtype: 'F32', shape: [2], data_offsets: [0, 4] } }, 4)), 'BAD_OFFSETS', /shape \[2\] needs 8 bytes but data_offsets span 4/);
    expectError(() => readSafetensors(craft({ w: { dtype: 'F32', shape: [-1], data_offsets: [0, 4] } }, 4)), 'BAD_ENTRY', /shape must be an array of non-negative integers/);
    expectError(
      () => readSafetensors(craft({ a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] }, b: { dtype: 'F32', shape: [1], data_offsets: [8, 12] } }, 12)),
      'BAD_OFFSETS',
      /'b' data_offsets \[8, 12\] leaves a gap/,
    );
    expectError(
      () => readSafetensors(craft({ a: { dtype: 'F32', shape: [2], data_offsets: [0, 8] }, b: { dtype: 'F32', shape: [1], data_offsets: [4, 8] } }, 8)),
      'BAD_OFFSETS',
      /overlaps the previous tensor/,
    );
    expectError(() => readSafetensors(craft({ a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }, 12)), 'BAD_OFFSETS', /cover 4 bytes but the file holds 12/);
    expectError(() => readSafetensors(craft({ __metadata__: { step: 3 } }, 0)), 'BAD_METADATA', /__metadata__.step must be a string/);
    expectError(() => writeSafetensors(new Map([['x', { dtype: 'F32', shape: [3], data: new Float32Array(2) }]])), 'BAD_ENTRY', /has 2 values but shape \[3\] needs 3/);
  });
});

describe('weights files', () => {
  const plan = buildModelPlan(everyLayerGraph());

  it('round-trip every parameter and buffer with its name and shape', () => {
    const params = initParameters(plan, { seed: 4 });
    params.get('batchnorm1.running_var')!.data.set([0.5, 1.5, 2.5]);
    const bytes = saveWeights(params, { model: 'test' });
    expect(readSafetensors(bytes).metadata).toMatchObject({ format: 'cyxwiz', kind: 'weights', model: 'test' });
    const back = loadWeights(bytes, { plan });
    expect([...back.keys()]).toEqual([...params.keys()]);
    for (const [name, t] of params) {
      expect(back.get(name)!.shape).toEqual(t.shape);
      expect(Array.from(back.get(name)!.data)).toEqual(Array.from(t.data));
    }
  });

  it('rounds float64 parameters to F32 and can load them back as float64', () => {
    const params = initParameters(plan, { seed: 4, dtype: 'float64' });
    const back = loadWeights(saveWeights(params), { dtype: 'float64' });
    const original = params.get('dense1.weight')!.data;
    const loaded = back.get('dense1.weight')!.data;
    expect(loaded).toBeInstanceOf(Float64Array);
    expect(Array.from(loaded)).toEqual(Array.from(Float32Array.from(original)));
  });

  it('refuses weights that do not fit the model', () => {
    const other = saveWeights(initParameters(buildModelPlan(mlpClassifier(4, [3], 2)), { seed: 1 }));
    expectError(() => loadWeights(other, { plan: buildModelPlan(mlpClassifier(4, [5], 2)) }), 'BAD_ENTRY', /'dense1.weight' has shape \[4, 3\].*expected \[4, 5\]/);
    const deeper = saveWeights(initParameters(buildModelPlan(mlpClassifier(4, [3, 3], 2)), { seed: 1 }));
    expectError(() => loadWeights(deeper, { plan: buildModelPlan(mlpClassifier(4, [3], 2)) }), 'BAD_ENTRY', /has a tensor 'dense3.weight' that this model does not use/);
    const partial = initParameters(buildModelPlan(mlpClassifier(4, [3], 2)), { seed: 1 });
    partial.delete('dense2.bias');
    expectError(() => loadWeights(saveWeights(partial), { plan: buildModelPlan(mlpClassifier(4, [3], 2)) }), 'MISSING_TENSOR', /'dense2.bias' is missing/);
  });
});

describe('checkpoints', () => {
  const graph = mlpClassifier(4, [6], 3);
  const feed = (i: number) => ({
    batch: 4,
    inputs: { input1: Float32Array.from({ length: 16 }, (_, j) => Math.sin(i * 16 + j)) },
    labels: { labels1: Int32Array.of(i % 3, (i + 1) % 3, (i + 2) % 3, 0) },
  });

  it('resume training exactly where it stopped (AdamW state, step and schedule)', () => {
    const options = {
      seed: 2,
      optimizer: { type: 'adamw', lr: 0.01, beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay: 0.05 } as const,
      schedule: { type: 'cosine', totalSteps: 10, minLr: 0.001 } as const,
    };
    const straight = new CpuTrainer(graph, options);
    for (let i = 0; i < 6; i++) straight.trainStep(feed(i));

    const first = new CpuTrainer(graph, options);
    for (let i = 0; i < 3; i++) first.trainStep(feed(i));
    const bytes = saveCheckpoint({ params: first.params, optimizer: first.optimizer });
    const names = [...readSafetensors(bytes).tensors.keys()];
    expect(names).toContain('optimizer.dense1.weight.m');
    expect(names).toContain('optimizer.dense2.bias.v');
    expect(names).toContain('optimizer.step');

    const loaded = loadCheckpoint(bytes, { plan: first.plan });
    expect(loaded.optimizer.step).toBe(3);
    expect(loaded.optimizer.config).toEqual(options.optimizer);
    expect(loaded.optimizer.schedule).toEqual(options.schedule);
    const resumed = new CpuTrainer(graph, { ...options, params: loaded.params, optimizerState: loaded.optimizer });
    for (let i = 3; i < 6; i++) resumed.trainStep(feed(i));
    for (const [name, t] of straight.params) expect(Array.from(resumed.params.get(name)!.data), name).toEqual(Array.from(t.data));
  });

  it('rejects a weights file or incomplete optimizer state as a checkpoint', () => {
    const trainer = new CpuTrainer(graph, { seed: 1, optimizer: { type: 'sgd', lr: 0.1, momentum: 0.9, weightDecay: 0, nesterov: false } });
    expectError(() => loadCheckpoint(saveWeights(trainer.params)), 'BAD_CHECKPOINT', /not a checkpoint .*"weights"/);
    const bytes = saveCheckpoint({ params: trainer.params, optimizer: trainer.optimizer });
    const file = readSafetensors(bytes);
    file.tensors.delete('optimizer.dense1.bias.velocity');
    expectError(() => loadCheckpoint(writeSafetensors(file.tensors, file.metadata)), 'MISSING_TENSOR', /sgd checkpoint lacks 'optimizer.dense1.bias.velocity'/);
    expectError(
      () => loadCheckpoint(writeSafetensors(readSafetensors(bytes).tensors, { ...file.metadata, optimizer: '{"type":"rmsprop"}' })),
      'BAD_CHECKPOINT',
      /__metadata__.optimizer is not a valid optimizer configuration/,
    );
  });
});
