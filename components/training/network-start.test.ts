import { describe, expect, it } from 'vitest';
import { buildQuoteRequest, DEFAULT_NETWORK_FORM, networkRefusal } from './network-form';
import { formFromRun, runDatasetChoice } from './network-start';

const run = { id: 'r1', name: 'warm-up', datasetId: 'ds:abc', config: { batchSize: 64, seed: 9, optimizer: { type: 'adam', lr: 0.003 } }, checkpointStep: 120 };

describe('continue on the network', () => {
  it('prefills the form with the run’s batch size, learning rate and seed, and its dataset as the form’s choice', () => {
    expect(formFromRun(DEFAULT_NETWORK_FORM, run)).toEqual({ ...DEFAULT_NETWORK_FORM, batchSize: '64', learningRate: '0.003', seed: '9' });
    // A config without them keeps the form's values.
    expect(formFromRun(DEFAULT_NETWORK_FORM, { ...run, config: { batchSize: 2.5 } })).toEqual(DEFAULT_NETWORK_FORM);
    expect(runDatasetChoice('ds:abc')).toBe('ds:abc');
    expect(runDatasetChoice('builtin:iris')).toBe('builtin:iris');
    expect(runDatasetChoice('abc')).toBe('ds:abc');
    expect(runDatasetChoice(null)).toBeNull();
  });

  it('sends the run as fromRunId, and sorts its refusals apart', () => {
    expect(buildQuoteRequest(DEFAULT_NETWORK_FORM, 'm1', 'ds:abc', 'r1')).toMatchObject({ ok: true, request: { datasetId: 'abc', fromRunId: 'r1' } });
    const fresh = buildQuoteRequest(DEFAULT_NETWORK_FORM, 'm1', 'ds:abc');
    expect(fresh.ok && 'fromRunId' in fresh.request).toBe(false);
    for (const appCode of ['JOB_START_RUN_INCOMPATIBLE', 'JOB_START_RUN_OTHER_MODEL', 'RUN_NOT_FOUND']) {
      expect(networkRefusal({ appCode, message: 'Layer Dense 1: …' })).toEqual({ kind: 'start-run', message: 'Layer Dense 1: …' });
    }
  });
});
