import { describe, expect, it } from 'vitest';
import { countingStream } from '../testing/counting-stream';
import { DEFAULT_BODY_CAP, ROUTE_BODY_CAPS } from './http-caps';
import { readBodyCapped, TOO_LARGE } from '../http/read-body-capped';
import { bodyCapFor, procedurePaths } from './http-limits';

const request = (body: ReadableStream<Uint8Array>, headers: Record<string, string> = {}) =>
  new Request('http://localhost/api/trpc/account.signUp', { method: 'POST', body, headers, duplex: 'half' } as RequestInit);

describe('procedure paths', () => {
  it('splits a batch the way tRPC does and keeps a single call whole', () => {
    expect(procedurePaths(new URL('http://h/api/trpc/a.b,c.d?batch=1'), '/api/trpc')).toEqual(['a.b', 'c.d']);
    expect(procedurePaths(new URL('http://h/api/trpc/a.b,c.d'), '/api/trpc')).toEqual(['a.b,c.d']);
    expect(procedurePaths(new URL('http://h/api/trpc/runs.save/'), '/api/trpc')).toEqual(['runs.save']);
  });
});

describe('body caps', () => {
  it('gives a large-body route its own cap, but only when every call of the batch is one', () => {
    expect(bodyCapFor(['account.signUp'])).toBe(DEFAULT_BODY_CAP);
    expect(bodyCapFor(['runs.save'])).toBe(ROUTE_BODY_CAPS['runs.save']);
    expect(bodyCapFor(['runs.save', 'runs.save'])).toBe(ROUTE_BODY_CAPS['runs.save']);
    expect(bodyCapFor(['runs.save', 'account.signUp'])).toBe(DEFAULT_BODY_CAP);
    expect(bodyCapFor(['runs.save'], false)).toBe(DEFAULT_BODY_CAP);
    // Names that are properties of every object are not routes.
    expect(bodyCapFor(['constructor'])).toBe(DEFAULT_BODY_CAP);
    expect(bodyCapFor(['__proto__'])).toBe(DEFAULT_BODY_CAP);
  });
});

describe('reading a body under a cap', () => {
  it('stops pulling a chunked body as soon as it passes the cap, and cancels it', async () => {
    const { stream, stats } = countingStream(64 * 1024 * 1024);
    expect(await readBodyCapped(request(stream), 1024 * 1024)).toBe(TOO_LARGE);
    expect(stats.pulled).toBeGreaterThan(1024 * 1024);
    expect(stats.pulled).toBeLessThanOrEqual(1024 * 1024 + 2 * 64 * 1024);
    expect(stats.cancelled).toBe(true);
  });

  it('returns every byte of a body under the cap', async () => {
    const { stream } = countingStream(200_000, { chunk: 30_000 });
    const body = await readBodyCapped(request(stream), 200_000);
    expect(body).toBeInstanceOf(Uint8Array);
    expect((body as Uint8Array).byteLength).toBe(200_000);
  });

  it('refuses a declared Content-Length over the cap without reading', async () => {
    const { stream, stats } = countingStream(10);
    expect(await readBodyCapped(request(stream, { 'content-length': String(2 * 1024 * 1024) }), 1024 * 1024)).toBe(TOO_LARGE);
    expect(stats.pulled).toBe(0);
  });

  it('does not trust a Content-Length that lies low', async () => {
    const { stream } = countingStream(300_000);
    expect(await readBodyCapped(request(stream, { 'content-length': '10' }), 100_000)).toBe(TOO_LARGE);
  });
});
