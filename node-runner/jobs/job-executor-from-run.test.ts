import { describe, expect, it } from 'vitest';
import { useTestGpu } from '../../compute/gpu/test-gpu';
import { loadCheckpoint } from '../../compute/export/safetensors/checkpoint';
import { prepareJobData } from '../../compute/train/job-data';
import { train } from '../../compute/train/train';
import { epochsDone } from '../../server/jobs/start-from-run';
import { DawnTrainer } from './dawn-trainer';
import { executeJob } from './job-executor';
import type { JobEvent } from './job-events';
import { InProcessJobApi } from './testing/in-process-job-api';
import { HELD, maxAbsDifference, spiralsSpec, STEPS_PER_EPOCH, weightsOf } from './testing/job-fixtures';
import { sha256Hex } from './verified-blob';

/**
 * "Continue on the network" from the runner's side, on Dawn (SwiftShader): a run trained as the tab
 * trains it (compute/train's train() on the GPU engine, Adam, its own batch size) hands its
 * checkpoint to a job as the platform does (start-from-run.ts: epochs count on from the run, the
 * run's checkpoint is the start checkpoint). The executor starts at the run's step, mid-epoch of the
 * job's batches, and every checkpoint after it verifies.
 */
const gpu = useTestGpu();

describe('a job started from a run trained in the tab', () => {
  it('resumes the run’s weights, Adam state and step, finishes the epoch it was in, then trains the requested epochs in full', async () => {
    const base = spiralsSpec();
    const data = prepareJobData(base.data, null);
    // The tab: one epoch at batch 20 = 24 steps, which is 1 epoch and 9 steps of the job's 15-step epochs.
    const tab = train(base.graph, { train: data.train, validation: data.validation }, { epochs: 1, batchSize: 20, seed: 7, optimizer: { type: 'adam', lr: 0.02 } }, { device: gpu().runtime });
    const result = await tab.done;
    expect(result.steps).toBe(24);
    const runCheckpoint = await tab.checkpoint(base.checkpointMetadata);
    tab.dispose();

    const startStep = loadCheckpoint(runCheckpoint).optimizer.step;
    expect(startStep).toBe(24);
    const done = epochsDone(startStep, STEPS_PER_EPOCH);
    expect(done).toBe(2);
    // Two more epochs asked for: epoch 2 is finished first (steps 25 to 30), then epochs 3 and 4 (to 60).
    const epochs = done + 2;
    const spec = spiralsSpec({
      train: { ...base.train, epochs },
      totalSteps: epochs * STEPS_PER_EPOCH,
      startCheckpoint: { sha256: sha256Hex(runCheckpoint), step: startStep, bytes: runCheckpoint.byteLength },
    });
    const api = new InProcessJobApi(spec, [runCheckpoint]);
    const events: JobEvent[] = [];
    expect(await executeJob(HELD, { api, trainer: new DawnTrainer(gpu().runtime, 'SwiftShader'), onEvent: (e) => events.push(e) })).toBe('completed');

    expect(events.find((e) => e.type === 'started')).toMatchObject({ startStep: 24, totalSteps: 60 });
    expect(api.uploads.map((u) => [u.report.epochIndex, u.report.step, u.answer.verified])).toEqual([[1, 30, true], [2, 45, true], [3, 60, true]]);
    const first = loadCheckpoint(api.uploads[0]!.bytes);
    expect(first.optimizer.step).toBe(30);
    // It trained on from the run's weights: six steps moved them, but not far.
    const moved = maxAbsDifference(first.params, weightsOf(runCheckpoint));
    expect(moved).toBeGreaterThan(0);
    expect(moved).toBeLessThan(1);
    expect(api.calls.at(-1)).toMatchObject({ name: 'complete', input: { sha256: api.uploads[2]!.sha256 } });
  });
});
