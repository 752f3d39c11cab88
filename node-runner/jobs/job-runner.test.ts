import { describe, expect, it } from 'vitest';
import { useTestGpu } from '../../compute/gpu/test-gpu';
import { DawnTrainer } from './dawn-trainer';
import type { JobEvent } from './job-events';
import { JobRunner } from './job-runner';
import { InProcessJobApi } from './testing/in-process-job-api';
import { HELD, spiralsSpec, STEPS_PER_EPOCH } from './testing/job-fixtures';

/** The heartbeat's leases → jobs run one at a time on Dawn (SwiftShader), each lease once. */
const gpu = useTestGpu();
const oneEpoch = () => spiralsSpec({ train: { ...spiralsSpec().train, epochs: 2 }, totalSteps: 2 * STEPS_PER_EPOCH });

function runner(api: InProcessJobApi, stop = new AbortController()) {
  const events: JobEvent[] = [];
  let made = 0;
  const jobs = new JobRunner({
    api,
    makeTrainer: async () => {
      made++;
      return new DawnTrainer(gpu().runtime, 'SwiftShader');
    },
    stopSignal: stop.signal,
    onEvent: (e) => events.push(e),
  });
  return { jobs, events, made: () => made };
}

describe('the runner’s job queue', () => {
  it('runs a leased job to completion once, however often the heartbeat lists it', async () => {
    const api = new InProcessJobApi(oneEpoch());
    const { jobs, events, made } = runner(api);
    jobs.offer([HELD]);
    jobs.offer([HELD]);
    await jobs.idle();
    jobs.offer([HELD]);
    await jobs.close();
    expect(events.filter((e) => e.type !== 'retrying').map((e) => e.type)).toEqual(['started', 'epoch', 'epoch', 'completed']);
    expect(api.names().filter((n) => n === 'spec')).toHaveLength(1);
    expect(made()).toBe(1);
  });

  it('drops the running job at once when the heartbeat no longer lists its lease', async () => {
    const api = new InProcessJobApi(oneEpoch());
    const { jobs, events } = runner(api);
    api.onProgress = () => jobs.offer([]);
    jobs.offer([HELD]);
    await jobs.close();
    expect(events.map((e) => e.type)).toEqual(['started', 'lost']);
    expect(api.uploads).toEqual([]);
    expect(api.names()).not.toContain('handBack');
  });

  it('hands back, once, a dropped lease that a later heartbeat lists again (else its renewals would hold the job for ever)', async () => {
    const api = new InProcessJobApi(oneEpoch());
    const { jobs, events } = runner(api);
    api.onProgress = () => jobs.offer([]);
    jobs.offer([HELD]);
    await jobs.idle();
    expect(events.map((e) => e.type)).toEqual(['started', 'lost']);
    expect(api.names()).not.toContain('handBack');
    jobs.offer([HELD]);
    jobs.offer([HELD]);
    await jobs.close();
    expect(api.calls.filter((c) => c.name === 'handBack')).toEqual([{ name: 'handBack', input: { jobId: HELD.jobId, epoch: HELD.epoch } }]);
    expect(api.names().filter((n) => n === 'spec')).toHaveLength(1);
  });

  it('fails the job with the reason when the trainer cannot start', async () => {
    const api = new InProcessJobApi(oneEpoch());
    const jobs = new JobRunner({ api, makeTrainer: () => Promise.reject(new Error('Dawn found no WebGPU adapter')), stopSignal: new AbortController().signal, onEvent: () => undefined });
    jobs.offer([HELD]);
    await jobs.close();
    expect(api.calls).toEqual([{ name: 'fail', input: { jobId: HELD.jobId, epoch: HELD.epoch, reason: 'This machine could not start its trainer: Dawn found no WebGPU adapter' } }]);
  });
});
