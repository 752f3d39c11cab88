import { describe, expect, it } from 'vitest';
import { buildQuoteRequest, DEFAULT_NETWORK_FORM, formFieldOf, networkRefusal } from './network-form';

describe('buildQuoteRequest', () => {
  it('turns the form into jobs.quote input: stored datasets by id, built-ins as they are, GiB to bytes, CYX to µCYX', () => {
    const result = buildQuoteRequest({ ...DEFAULT_NETWORK_FORM, epochs: '25', batchSize: '64', learningRate: '0.003', seed: '7', device: 'cpu', minMemoryGiB: '1.5', priceCapCyx: '0.25' }, 'm1', 'ds:abc');
    expect(result).toEqual({
      ok: true,
      request: { modelId: 'm1', datasetId: 'abc', config: { epochs: 25, batchSize: 64, learningRate: 0.003, seed: 7 }, requirements: { device: 'cpu', minVramBytes: 1.5 * 2 ** 30 }, priceCapMicro: '250000' },
    });
    expect(buildQuoteRequest(DEFAULT_NETWORK_FORM, 'm1', 'builtin:iris')).toMatchObject({ ok: true, request: { datasetId: 'builtin:iris', priceCapMicro: '1000000', requirements: { device: 'gpu', minVramBytes: 0 } } });
  });

  it('leaves an empty learning rate and seed to the runner', () => {
    expect(buildQuoteRequest({ ...DEFAULT_NETWORK_FORM, learningRate: ' ', seed: '' }, 'm', 'builtin:iris')).toMatchObject({ ok: true, request: { config: { learningRate: null, seed: null } } });
  });

  it('names the first wrong field', () => {
    expect(buildQuoteRequest(DEFAULT_NETWORK_FORM, 'm', 'file')).toMatchObject({ ok: false, field: 'datasetId' });
    expect(buildQuoteRequest(DEFAULT_NETWORK_FORM, 'm', '')).toMatchObject({ ok: false, field: 'datasetId' });
    expect(buildQuoteRequest({ ...DEFAULT_NETWORK_FORM, epochs: '2.5' }, 'm', 'builtin:iris')).toMatchObject({ ok: false, field: 'epochs' });
    expect(buildQuoteRequest({ ...DEFAULT_NETWORK_FORM, epochs: '0' }, 'm', 'builtin:iris')).toMatchObject({ ok: false, field: 'epochs' });
    expect(buildQuoteRequest({ ...DEFAULT_NETWORK_FORM, batchSize: 'x' }, 'm', 'builtin:iris')).toMatchObject({ ok: false, field: 'batchSize' });
    expect(buildQuoteRequest({ ...DEFAULT_NETWORK_FORM, learningRate: '-1' }, 'm', 'builtin:iris')).toMatchObject({ ok: false, field: 'learningRate' });
    expect(buildQuoteRequest({ ...DEFAULT_NETWORK_FORM, seed: '-3' }, 'm', 'builtin:iris')).toMatchObject({ ok: false, field: 'seed' });
    expect(buildQuoteRequest({ ...DEFAULT_NETWORK_FORM, minMemoryGiB: '-1' }, 'm', 'builtin:iris')).toMatchObject({ ok: false, field: 'minMemoryGiB' });
    const price = buildQuoteRequest({ ...DEFAULT_NETWORK_FORM, priceCapCyx: '1.0000001' }, 'm', 'builtin:iris');
    expect(price).toMatchObject({ ok: false, field: 'priceCapCyx' });
    expect(!price.ok && price.message).toMatch(/at most 6 decimals/);
  });
});

describe('networkRefusal', () => {
  it('sorts the server refusals by code, with the field the server named', () => {
    expect(networkRefusal({ appCode: 'INSUFFICIENT_FUNDS', message: 'Missing 2 CYX.' })).toEqual({ kind: 'funds', message: 'Missing 2 CYX.' });
    expect(networkRefusal({ appCode: 'QUOTE_CHANGED', message: 'now 3 CYX' }).kind).toBe('quote-changed');
    expect(networkRefusal({ appCode: 'NO_MATCHING_MACHINE', message: 'No GPU has 8 GiB free', fieldErrors: { 'requirements.minVramBytes': 'No GPU has 8 GiB free' } })).toEqual({ kind: 'no-machine', message: 'No GPU has 8 GiB free', field: 'minMemoryGiB' });
    expect(networkRefusal({ appCode: 'GRAPH_INVALID', message: 'cycle' }).kind).toBe('graph');
    expect(networkRefusal({ appCode: 'INVALID_INPUT', message: 'config.epochs: Epochs is at most 10000.', fieldErrors: { config: 'x' } })).toEqual({ kind: 'other', message: 'config.epochs: Epochs is at most 10000.', field: 'epochs' });
    expect(formFieldOf('nonsense')).toBeNull();
  });
});
