import { request as httpRequest } from 'node:http';
import { expect, test, type Page } from '@playwright/test';
import { personInNewContext } from './helpers';

/**
 * Hostile input against the app as `npm start` runs it: tiny files declaring huge shapes, a CSV
 * millions of cells wide, a streamed body far over the cap. Each is refused with its code, and the
 * server answers normally straight after.
 */
test.describe.configure({ mode: 'serial' });

let page: Page;

test.beforeAll(async ({ browser }) => {
  ({ page } = await personInNewContext(browser, 'mallory'));
});

/** An IDX header (unsigned bytes) declaring these dimensions, and no data. */
function idxHeader(dims: number[]): Buffer {
  const bytes = Buffer.alloc(4 + 4 * dims.length);
  bytes.writeUInt32BE(0x0800 + dims.length, 0);
  dims.forEach((d, i) => bytes.writeUInt32BE(d, 4 + 4 * i));
  return bytes;
}

async function expectServerAnswers(): Promise<void> {
  const started = Date.now();
  const ping = await page.request.get('/api/trpc/health.ping');
  expect(ping.status()).toBe(200);
  expect(Date.now() - started).toBeLessThan(5_000);
  const list = await page.request.get(`/api/trpc/datasets.list?input=${encodeURIComponent('{}')}`);
  expect(list.status()).toBe(200);
}

for (const [label, dims] of [
  ['0 × 30,000,000', [0, 30_000_000]],
  ['4,294,967,295 × 0', [4_294_967_295, 0]],
] as const) {
  test(`a 12-byte IDX file declaring ${label} is refused and nothing is stored`, async () => {
    const body = idxHeader([...dims]);
    expect(body.byteLength).toBe(12);
    const res = await page.request.post('/api/datasets?filename=evil-images.idx', { data: body, headers: { 'content-type': 'application/octet-stream' } });
    expect(res.status()).toBe(400);
    expect((await res.json()) as { code: string }).toMatchObject({ code: 'IDX_BAD_DIMENSION' });
    await expectServerAnswers();
  });
}

test('a CSV a million columns wide is refused at its first line', async () => {
  const wide = Buffer.from(`${'1,'.repeat(999_999)}1\n`);
  const res = await page.request.post('/api/datasets?filename=wide.csv', { data: wide, headers: { 'content-type': 'text/csv' } });
  expect(res.status()).toBe(413);
  expect((await res.json()) as { code: string; message: string }).toMatchObject({ code: 'CSV_TOO_MANY_COLUMNS', message: expect.stringContaining('1,000,000 columns') });
  await expectServerAnswers();
  await page.goto('/datasets');
  await expect(page.getByRole('heading', { name: 'No datasets yet' })).toBeVisible();
});

test('a chunked 64 MiB body to sign-up is refused with 413 long before it is all sent', async ({ baseURL }) => {
  const url = new URL('/api/trpc/account.signUp', baseURL);
  const chunk = Buffer.alloc(1024 * 1024, 0x61);
  // `sent` counts the chunks handed to the socket; a write error after the answer is expected.
  const { status, sent } = await new Promise<{ status: number; sent: number }>((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = httpRequest(url, { method: 'POST', headers: { 'content-type': 'application/json', 'transfer-encoding': 'chunked' } }, (res) => {
      answered = true;
      res.resume();
      resolve({ status: res.statusCode ?? 0, sent });
      req.destroy();
    });
    req.on('error', (error) => (answered ? undefined : reject(error)));
    const pump = () => {
      while (sent < 64) {
        sent++;
        if (!req.write(chunk)) return void req.once('drain', pump);
      }
      req.end();
    };
    req.write('{"email":"');
    pump();
  });
  expect(status).toBe(413);
  expect(sent).toBeLessThan(64);
  await expectServerAnswers();
});
