import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useTestGpu } from '../../compute/gpu/test-gpu';
import type { JobSpec } from '../../server/jobs/runner-protocol';
import { TorchExecutor } from '../torch/torch-executor';
import { DawnTrainer } from './dawn-trainer';
import { executeJob } from './job-executor';
import type { JobTrainer } from './job-trainer';
import { InProcessJobApi } from './testing/in-process-job-api';
import { HELD, maxAbsDifference, spiralsSpec, STEPS_PER_EPOCH, weightsOf } from './testing/job-fixtures';
import { TorchTrainer } from './torch-trainer';

/**
 * A job moving between torch-cpu and Dawn (SwiftShader) at an epoch's checkpoint ends within 1e-4
 * of the job run on Dawn alone; torch's own reports verify against the platform's CPU scoring.
 */
const gpu = useTestGpu();
const TOL = 1e-4;
let torch: TorchTrainer;
beforeAll(async () => {
  torch = new TorchTrainer('torch-cpu', await TorchExecutor.start({ device: 'cpu' }), 'PyTorch on the CPU');
});
afterAll(async () => {
  await torch?.close();
});
const dawn = () => new DawnTrainer(gpu().runtime, 'SwiftShader');

/** Runs the job's first epoch on one backend (Ctrl-C during it), then the rest on the other; answers the final checkpoint. */
async function handOver(from: JobTrainer, to: JobTrainer): Promise<Uint8Array> {
  const stop = new AbortController();
  const first = new InProcessJobApi(spiralsSpec());
  first.onProgress = () => stop.abort();
  expect(await executeJob(HELD, { api: first, trainer: from, stopSignal: stop.signal })).toBe('handed-back');
  const checkpoint = first.uploads[0]!;
  expect(checkpoint.report.step).toBe(STEPS_PER_EPOCH);
  const spec: JobSpec = spiralsSpec({ startCheckpoint: { sha256: checkpoint.sha256, step: STEPS_PER_EPOCH, bytes: checkpoint.bytes.byteLength } });
  const rest = new InProcessJobApi(spec, [checkpoint.bytes]);
  expect(await executeJob({ ...HELD, epoch: 2 }, { api: rest, trainer: to })).toBe('completed');
  expect(rest.uploads.every((u) => u.answer.verified)).toBe(true);
  return rest.uploads.at(-1)!.bytes;
}

describe('a job on torch-cpu and across backends', () => {
  let allDawn: Uint8Array;
  beforeAll(async () => {
    const api = new InProcessJobApi(spiralsSpec());
    expect(await executeJob(HELD, { api, trainer: dawn() })).toBe('completed');
    allDawn = api.uploads.at(-1)!.bytes;
  });

  it('trains on torch with honest, verified reports and ends where the all-Dawn job ends', async () => {
    const api = new InProcessJobApi(spiralsSpec());
    expect(await executeJob(HELD, { api, trainer: torch })).toBe('completed');
    expect(api.uploads.map((u) => [u.report.step, u.answer.verified])).toEqual([[15, true], [30, true], [45, true]]);
    for (const upload of api.uploads) {
      expect(Math.abs(upload.report.valLoss! - upload.answer.platform.valLoss!)).toBeLessThan(1e-4);
      expect(upload.report.valAccuracy).toBe(upload.answer.platform.valAccuracy);
    }
    expect(api.reports.some((r) => r.samplesPerSecond !== null)).toBe(true);
    const difference = maxAbsDifference(weightsOf(api.uploads.at(-1)!.bytes), weightsOf(allDawn));
    console.log(`torch-cpu job vs Dawn job: max |Δweight| = ${difference}`);
    expect(difference).toBeLessThan(TOL);
  });

  it('torch-cpu → Dawn after epoch 1 ends within 1e-4 of the all-Dawn job', async () => {
    const difference = maxAbsDifference(weightsOf(await handOver(torch, dawn())), weightsOf(allDawn));
    console.log(`torch-cpu → Dawn vs all-Dawn: max |Δweight| = ${difference}`);
    expect(difference).toBeLessThan(TOL);
  });

  it('Dawn → torch-cpu after epoch 1 ends within 1e-4 of the all-Dawn job', async () => {
    const difference = maxAbsDifference(weightsOf(await handOver(dawn(), torch)), weightsOf(allDawn));
    console.log(`Dawn → torch-cpu vs all-Dawn: max |Δweight| = ${difference}`);
    expect(difference).toBeLessThan(TOL);
  });
});
