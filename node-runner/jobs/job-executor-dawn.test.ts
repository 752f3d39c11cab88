import { describe, expect, it } from 'vitest';
import { useTestGpu } from '../../compute/gpu/test-gpu';
import { GpuEngine } from '../../compute/engine/gpu-engine';
import { buildModelPlan } from '../../compute/model/plan';
import { restoreCheckpoint } from '../../compute/train/checkpoints';
import { evaluate } from '../../compute/train/evaluate';
import { prepareJobData } from '../../compute/train/job-data';
import { parseTrainConfig } from '../../compute/train/train-config';
import { DawnTrainer } from './dawn-trainer';
import { executeJob } from './job-executor';
import { InProcessJobApi } from './testing/in-process-job-api';
import { blobsCsv, HELD, maxAbsDifference, spiralsSpec, STEPS_PER_EPOCH, weightsOf } from './testing/job-fixtures';
import { sha256Hex } from './verified-blob';

/**
 * The job executor on Dawn (SwiftShader) against the in-process JobApi, which checks every
 * checkpoint as the platform does (CPU forward on the validation split, CHECKPOINT_TOLERANCE).
 */
const gpu = useTestGpu();
const trainer = () => new DawnTrainer(gpu().runtime, 'SwiftShader');

describe('a job on Dawn', () => {
  it('trains in one go with a verified checkpoint per epoch, and a run stopped after epoch 1 and resumed elsewhere ends with the same weights', async () => {
    const whole = new InProcessJobApi(spiralsSpec());
    expect(await executeJob(HELD, { api: whole, trainer: trainer() })).toBe('completed');
    expect(whole.uploads.map((u) => [u.report.epochIndex, u.report.step, u.answer.verified])).toEqual([[0, 15, true], [1, 30, true], [2, 45, true]]);
    expect(whole.names().filter((n) => n !== 'progress')).toEqual(['spec', 'start', 'uploadCheckpoint', 'uploadCheckpoint', 'uploadCheckpoint', 'complete']);
    expect(whole.calls.at(-1)!.input).toMatchObject({ sha256: whole.uploads[2]!.sha256 });
    // Each epoch end reports its validation scores; batch progress carries rates.
    expect(whole.reports.filter((r) => r.valLoss != null).map((r) => r.step)).toEqual([15, 30, 45]);
    expect(whole.reports.some((r) => r.samplesPerSecond !== null && r.loss !== null)).toBe(true);
    const metadata = new TextDecoder().decode(whole.uploads[0]!.bytes.subarray(8, 8 + Number(new DataView(whole.uploads[0]!.bytes.buffer, whole.uploads[0]!.bytes.byteOffset).getBigUint64(0, true))));
    expect(metadata).toContain('"seed":"7"');
    expect(metadata).toContain('"class_names"');

    // Ctrl-C during epoch 1: that epoch still ends with its checkpoint, then the lease goes back.
    const stop = new AbortController();
    const first = new InProcessJobApi(spiralsSpec());
    first.onProgress = () => stop.abort();
    expect(await executeJob(HELD, { api: first, trainer: trainer(), stopSignal: stop.signal })).toBe('handed-back');
    expect(first.uploads.map((u) => u.report.step)).toEqual([STEPS_PER_EPOCH]);
    expect(first.names().filter((n) => n !== 'progress').slice(-2)).toEqual(['uploadCheckpoint', 'handBack']);

    const checkpoint = first.uploads[0]!;
    const resumed = new InProcessJobApi(spiralsSpec({ startCheckpoint: { sha256: checkpoint.sha256, step: STEPS_PER_EPOCH, bytes: checkpoint.bytes.byteLength } }), [checkpoint.bytes]);
    expect(await executeJob({ ...HELD, epoch: 2 }, { api: resumed, trainer: trainer() })).toBe('completed');
    expect(resumed.uploads.map((u) => u.report.step)).toEqual([30, 45]);
    const difference = maxAbsDifference(weightsOf(resumed.uploads.at(-1)!.bytes), weightsOf(whole.uploads.at(-1)!.bytes));
    console.log(`Dawn resumed after epoch 1 vs uninterrupted: max |Δweight| = ${difference}`);
    expect(difference).toBeLessThan(1e-6);
  });

  it("reports the validation scores compute/train's evaluate() gives the checkpoint's weights", async () => {
    const spec = spiralsSpec({ train: { ...spiralsSpec().train, epochs: 1 }, totalSteps: STEPS_PER_EPOCH });
    const api = new InProcessJobApi(spec);
    expect(await executeJob(HELD, { api, trainer: trainer() })).toBe('completed');
    const upload = api.uploads[0]!;
    const plan = buildModelPlan(spec.graph);
    const config = parseTrainConfig(spec.train);
    const engine = await GpuEngine.create(gpu().runtime, plan, { batchSize: config.batchSize, optimizer: config.optimizer, seed: config.seed });
    try {
      restoreCheckpoint(engine, upload.bytes);
      const scores = await evaluate(engine, prepareJobData(spec.data, null).validation);
      expect(upload.report.valLoss).toBeCloseTo(scores.loss, 6);
      expect(upload.report.valAccuracy).toBe(scores.accuracy);
    } finally {
      engine.destroy();
    }
    // And the platform's CPU evaluation agrees within its tolerance.
    expect(upload.answer.verified).toBe(true);
    expect(Math.abs(upload.report.valLoss! - upload.answer.platform.valLoss!)).toBeLessThan(1e-4);
  });

  it('refuses a dataset whose bytes do not hash to the sha256 in the spec: the job fails, nothing trains', async () => {
    const csv = blobsCsv();
    const sha256 = sha256Hex(csv);
    const spec = spiralsSpec({ data: { source: { kind: 'csv', label: 'blobs.csv', sha256, bytes: csv.byteLength, labelColumn: 4 }, validationFraction: 0.2, testFraction: 0, seed: 7, preprocessing: 'standardize' } });
    const api = new InProcessJobApi(spec);
    const tampered = csv.slice();
    tampered[10] = tampered[10] === 48 ? 49 : 48;
    api.blobs.set(sha256, tampered);
    expect(await executeJob(HELD, { api, trainer: trainer() })).toBe('failed');
    expect(api.names()).toEqual(['spec', 'downloadBlob', 'fail']);
    expect((api.calls.at(-1)!.input as { reason: string }).reason).toMatch(/sha256 .* not the .* its spec names; nothing was trained/);
  });

  it('stops at once and drops the work when the platform says keepGoing: false or refuses the lease', async () => {
    const cancelled = new InProcessJobApi(spiralsSpec());
    cancelled.keepGoing = false;
    expect(await executeJob(HELD, { api: cancelled, trainer: trainer() })).toBe('lost');
    expect(cancelled.uploads).toEqual([]);
    expect(cancelled.names().filter((n) => n !== 'progress')).toEqual(['spec', 'start']);

    const stale = new InProcessJobApi(spiralsSpec());
    stale.refuse = (name) => name === 'uploadCheckpoint';
    expect(await executeJob(HELD, { api: stale, trainer: trainer() })).toBe('lost');
    expect(stale.names().filter((n) => n !== 'progress')).toEqual(['spec', 'start', 'uploadCheckpoint']);
  });
});
