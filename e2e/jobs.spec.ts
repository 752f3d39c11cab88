import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Browser, type Download, type Locator, type Page } from '@playwright/test';
import * as ort from 'onnxruntime-web';
import { dockTab, personInNewContext, runtime, signIn } from './helpers';

/**
 * Training on the network: a provider's real runner comes online, the demo user opens a model
 * from a template, asks for a quote in "Train on the network" (a cap under every price is
 * explained first), approves it and lands on the job page with the escrow locked, watches the
 * machine pick it up and its progress arrive live, finds it in the Jobs list, then cancels it and
 * is refunded what is left. Long enough (many epochs) that it is still running when cancelled.
 * Then a short job on the same machine runs to the end: every checkpoint verified and paid, the
 * trained model downloads as ONNX, PyTorch and safetensors, opens in the editor's tab, and both
 * wallets show the money moved: the payer's escrow paid out, the provider's earnings.
 * Last, "continue on the network": a run trained briefly in the tab and saved is sent to the same
 * machine as a job's starting point; the runner starts at the run's step and the job page says so.
 */
const root = fileURLToPath(new URL('..', import.meta.url));
const DEMO_USER = { email: 'user@demo.cyxwiz.dev', password: 'cyxwiz-user-2026' };

class RunnerProcess {
  output = '';
  readonly child: ChildProcessWithoutNullStreams;
  readonly exited: Promise<number | null>;

  constructor(args: string[], configPath: string) {
    this.child = spawn(process.execPath, ['--import', 'tsx', 'node-runner/cli.ts', ...args, '--server', runtime().url, '--config', configPath], { cwd: root, env: { ...process.env } });
    this.child.stdout.on('data', (d: Buffer) => (this.output += d.toString()));
    this.child.stderr.on('data', (d: Buffer) => (this.output += d.toString()));
    this.exited = new Promise((resolve) => this.child.once('exit', resolve));
  }

  async waitFor(pattern: RegExp): Promise<RegExpMatchArray> {
    await expect.poll(() => pattern.test(this.output), { timeout: 30_000, message: `runner output never matched ${pattern}:\n${this.output}` }).toBe(true);
    return this.output.match(pattern)!;
  }
}

/** µCYX from the text the app shows ("1,250.5 CYX", "+0.9 CYX", "−2 CYX"). */
function micro(text: string): bigint {
  const m = /^([+−-]?)([\d,]+)(?:\.(\d{1,6}))? CYX$/.exec(text.trim());
  if (!m) throw new Error(`not an amount: ${JSON.stringify(text)}`);
  const value = BigInt(m[2]!.replace(/,/g, '')) * 1_000_000n + BigInt((m[3] ?? '').padEnd(6, '0'));
  return m[1] === '' || m[1] === '+' ? value : -value;
}

async function availableBalance(page: Page): Promise<bigint> {
  await page.goto('/wallet');
  return micro((await page.getByTestId('balance-available').textContent())!);
}

/** Nothing wider than the window at 1280×720: no sideways scrolling of the page. */
async function expectNoOverflow(page: Page): Promise<void> {
  const widths = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
  expect(widths.scroll, `page ${page.url()} is ${widths.scroll}px wide in a ${widths.client}px window`).toBeLessThanOrEqual(widths.client);
}

async function downloadedBytes(download: Download): Promise<Buffer> {
  return readFileSync((await download.path())!);
}

let dir = '';
let runner: RunnerProcess | null = null;
let provider: Page;
let payer: Page;

test.describe.configure({ mode: 'serial' });

test.beforeAll(async ({ browser }: { browser: Browser }) => {
  test.setTimeout(120_000);
  dir = mkdtempSync(path.join(os.tmpdir(), 'cyxwiz-e2e-jobs-'));
  const configPath = path.join(dir, 'runner.json');
  ({ page: provider } = await personInNewContext(browser, 'jobprovider'));
  const login = new RunnerProcess(['login', '--device'], configPath);
  const [, url] = await login.waitFor(/open (\S+)/);
  await provider.goto(new URL(url!).pathname + new URL(url!).search);
  await provider.getByRole('button', { name: 'Approve this runner' }).click();
  expect(await login.exited, login.output).toBe(0);
  const faucet = await provider.request.post('/api/trpc/wallet.faucet', { data: { requestId: `e2e-jobs-${Date.now()}` } });
  expect(faucet.status(), await faucet.text()).toBe(200);
  const register = new RunnerProcess(['register', '--name', 'e2e job rig', '--price', '100'], configPath);
  expect(await register.exited, register.output).toBe(0);
  runner = new RunnerProcess(['start', '--interval', '1'], configPath);
  await runner.waitFor(/Online: the platform sees this machine as online/);

  const context = await browser.newContext({ viewport: { width: 1280, height: 720 }, acceptDownloads: true });
  payer = await context.newPage();
  await signIn(payer, DEMO_USER.email, DEMO_USER.password);
  await expect(payer).toHaveURL(/\/dashboard$/);
});

test.afterAll(() => {
  runner?.child.kill('SIGKILL');
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** A new model from the MLP template (attached to the built-in digits); its editor is open. */
async function newModel(page: Page, name: string): Promise<string> {
  await page.goto('/models');
  await page.getByLabel('New model name').fill(name);
  await page.getByLabel('Start from').selectOption({ label: 'MLP classifier' });
  await page.getByRole('button', { name: 'Create model' }).click();
  await expect(page).toHaveURL(/\/models\/[0-9a-f]{24}$/);
  return page.url();
}

/** Quotes on CPU at a 200 CYX/h cap with these epochs; returns the escrow text the quote shows. */
async function quoteOnNetwork(panel: Locator, epochs: string): Promise<string> {
  await panel.getByLabel('Hardware').selectOption('cpu');
  await panel.getByLabel('Price cap (CYX/h)').fill('200');
  await panel.getByLabel('Epochs').fill(epochs);
  await panel.getByTestId('network-quote').click();
  const quote = panel.getByTestId('quote');
  await expect(quote).toBeVisible();
  await expect(quote.getByTestId('quote-matches')).not.toHaveText('0');
  // The time counts the run's steps and checkpoints, not only its FLOPs (a small model is mostly those).
  await expect(quote.getByTestId('quote-time')).toContainText(/[\d,]+ steps, [\d,]+ checkpoints?\. Training FLOPs at each machine's speed, plus about 1 s to start/);
  const escrow = (await quote.getByTestId('quote-escrow').textContent())!;
  expect(escrow).toMatch(/ CYX$/);
  console.log(`quote for ${epochs} epochs: escrow ${escrow}`);
  return escrow;
}

test('quote, approve and land on the live job page; the Jobs list shows it; cancelling refunds the escrow', async () => {
  test.setTimeout(180_000);
  const page = payer;
  await newModel(page, `network job ${Date.now()}`);

  const panel = page.getByTestId('network-training');
  await expect(panel.getByRole('heading', { name: 'Train on the network' })).toBeVisible();
  // A price cap that no machine meets is explained, naming the cheapest.
  await panel.getByLabel('Hardware').selectOption('cpu');
  await panel.getByLabel('Price cap (CYX/h)').fill('10');
  await panel.getByTestId('network-quote').click();
  await expect(panel.getByTestId('network-refusal')).toHaveAttribute('data-kind', 'no-machine');
  await expect(panel.getByTestId('network-refusal')).toContainText('the cheapest is 100 CYX/h');

  // Long enough (many epochs) that it is still running when cancelled.
  const escrow = await quoteOnNetwork(panel, '3000');
  await expect(panel.getByTestId('quote').getByRole('table', { name: 'Machines that match' })).toContainText('100 CYX/h');

  await panel.getByTestId('network-approve').click();
  await expect(page).toHaveURL(/\/jobs\/[0-9a-f]{24}$/);
  const jobUrl = page.url();
  const detail = page.getByTestId('job-detail');
  await expect(detail.getByTestId('job-quoted')).toHaveText(escrow);
  await expect(detail.getByTestId('job-timeline')).toContainText('Escrow locked');
  await expect(detail.getByTestId('live-state')).toContainText('live');
  // The scheduler hands it to the runner and its reports stream in, without reloading the page.
  await expect(detail.getByTestId('job-status')).toHaveText('Running', { timeout: 60_000 });
  await expect(detail.getByTestId('job-metrics')).toContainText('loss', { timeout: 60_000 });
  await expect(detail.getByTestId('job-timeline')).toContainText('Assigned to e2e job rig');

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Jobs' }).click();
  const row = page.getByTestId('job-row').first();
  await expect(row).toContainText('network job');
  await expect(row).toContainText('Running');
  await expect(row).toContainText('e2e job rig');

  await page.goto(jobUrl);
  await detail.getByTestId('cancel-job').click();
  await page.getByRole('dialog').getByRole('button', { name: 'Cancel the job' }).click();
  await expect(page.getByTestId('cancelled')).toContainText('refunded to your wallet');
  // The stream carries the settlement: no reload.
  await expect(detail.getByTestId('job-status')).toHaveText('Refunded');
  await expect(detail.getByTestId('job-refunded')).not.toHaveText('0 CYX');
  await expect(detail.getByTestId('live-state')).toContainText('final');
});

const EPOCHS = 20;

test('a short job runs to the end: checkpoints verified and paid, downloads, continue in this tab, both wallets', async () => {
  test.setTimeout(240_000);
  const page = payer;
  const payerBefore = await availableBalance(page);
  const providerBefore = await availableBalance(provider);

  const modelUrl = await newModel(page, `finished job ${Date.now()}`);
  const panel = page.getByTestId('network-training');
  // Long enough for a few progress reports (the runner sends one every 2 s), short enough to finish.
  const escrow = await quoteOnNetwork(panel, String(EPOCHS));
  await expectNoOverflow(page);
  await panel.getByTestId('network-approve').click();
  await expect(page).toHaveURL(/\/jobs\/[0-9a-f]{24}$/);
  const jobId = page.url().split('/').pop()!;
  const detail = page.getByTestId('job-detail');
  await expect(detail.getByTestId('job-quoted')).toHaveText(escrow);

  // Runs to the end while the page watches: completion and the last release arrive over the stream.
  await expect(detail.getByTestId('job-status')).toHaveText('Completed', { timeout: 180_000 });
  await expect(detail.getByTestId('live-state')).toContainText('final');
  await expect(detail.getByTestId('job-paid')).toHaveText(escrow);
  await expect(detail.getByTestId('job-refunded')).toHaveText('0 CYX');
  await expect(detail.getByTestId('job-timeline')).toContainText('Checkpoint verified');
  await expect(detail.getByTestId('job-timeline')).toContainText('Completed');
  // The charts hold the runner's points: the loss chart's numbers, as its data table shows them.
  const lossChart = detail.getByTestId('job-loss-chart');
  await lossChart.getByRole('button', { name: 'Show data table' }).click();
  expect(await lossChart.locator('tbody tr').count()).toBeGreaterThanOrEqual(3);
  await expect(lossChart.locator('tbody td').first()).not.toHaveText('—');
  // One verified checkpoint per epoch, each releasing its share.
  const rows = detail.getByTestId('checkpoints').locator('tbody tr');
  await expect(rows).toHaveCount(EPOCHS);
  for (const r of await rows.all()) {
    await expect(r).toHaveAttribute('data-verified', 'true');
    expect(micro((await r.locator('td').last().textContent())!)).toBeGreaterThan(0n);
  }

  await expectNoOverflow(page);
  // For a look at the finished page (kept with the test's results).
  await test.info().attach('finished job page at 1280x720', { body: await page.screenshot({ fullPage: true }), contentType: 'image/png' });

  const result = detail.getByTestId('job-result');
  await expect(result.getByTestId('job-result-summary')).toContainText('validation accuracy');
  const save = async (testId: string) => {
    const [download] = await Promise.all([page.waitForEvent('download'), result.getByTestId(testId).click()]);
    return download;
  };
  const onnx = await save('download-onnx');
  expect(onnx.suggestedFilename()).toBe('model.onnx');
  const onnxBytes = await downloadedBytes(onnx);
  expect(onnxBytes[0]).toBe(0x08); // ModelProto field 1 (ir_version), a varint
  ort.env.wasm.numThreads = 1;
  const session = await ort.InferenceSession.create(new Uint8Array(onnxBytes));
  expect(session.inputNames).toEqual(['features']);
  expect(session.outputNames).toEqual(expect.arrayContaining(['logits', 'probabilities']));
  const out = await session.run({ features: new ort.Tensor('float32', new Float32Array(64).fill(4), [1, 64]) });
  const probabilities = Array.from(out.probabilities!.data as Float32Array);
  expect(probabilities).toHaveLength(10);
  expect(probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
  await session.release();

  const [modelPy, trainPy] = await Promise.all([
    page.waitForEvent('download', (d) => d.suggestedFilename() === 'model.py'),
    page.waitForEvent('download', (d) => d.suggestedFilename() === 'train.py'),
    result.getByTestId('download-pytorch').click(),
  ]);
  expect((await downloadedBytes(modelPy)).toString()).toMatch(/class \w+\(nn\.Module\)/);
  expect((await downloadedBytes(trainPy)).toString()).toContain('Adam');

  const weights = await downloadedBytes(await save('download-weights'));
  const headerLength = Number(weights.readBigUInt64LE(0));
  const header = JSON.parse(weights.subarray(8, 8 + headerLength).toString()) as Record<string, { dtype?: string; shape?: number[] }> & { __metadata__?: Record<string, string> };
  const tensors = Object.entries(header).filter(([name]) => name !== '__metadata__');
  expect(tensors.length).toBeGreaterThan(0);
  expect(tensors.every(([, t]) => t.dtype === 'F32')).toBe(true);
  expect(JSON.parse(header.__metadata__!.class_names!)).toHaveLength(10);

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Jobs' }).click();
  await expect(page.getByTestId('job-row').first()).toContainText('Completed');
  await expectNoOverflow(page);
  await page.goBack();

  // The run opens in the editor's tab, ready to evaluate or predict.
  await result.getByTestId('continue-in-tab').click();
  await expect(page).toHaveURL(new RegExp(`${modelUrl.split('/').pop()}\\?run=`));
  await expect(page.getByTestId('loaded-run')).toContainText(`Network job ${jobId.slice(-6)}`, { timeout: 60_000 });

  // The payer's wallet: the whole escrow paid out; the provider's: its 90% share of what was released.
  const paid = micro(escrow);
  expect(await availableBalance(page)).toBe(payerBefore - paid);
  // Each release is a row too: the escrow's own row is found by its kind.
  await page.getByLabel('Filter history by kind').selectOption('create_escrow');
  const locked = page.getByRole('table', { name: 'Wallet history' }).getByRole('row').filter({ hasText: `held in escrow for job ${jobId.slice(0, 8)}` });
  await expect(locked).toHaveCount(1);
  expect(micro((await locked.locator('td').last().textContent())!)).toBe(-paid);
  const providerAfter = await availableBalance(provider);
  const earned = providerAfter - providerBefore;
  // The fee is floor(release / 10) of each release: together at most a tenth of what was paid.
  expect(earned).toBeGreaterThanOrEqual(paid - paid / 10n);
  expect(earned).toBeLessThan(paid);
  // One payment row per release (each verified checkpoint, then the completion's rest), over as many pages as it takes.
  await provider.getByLabel('Filter history by kind').selectOption('release');
  const earnings = provider.getByRole('table', { name: 'Wallet history' }).getByRole('row').filter({ hasText: `Earned for job ${jobId.slice(0, 8)}` });
  await expect(earnings.first()).toBeVisible();
  // Older pages may hold only the cancelled job's payments (the same rig ran it): page on by all rows.
  const allRows = provider.getByRole('table', { name: 'Wallet history' }).getByTestId('history-row');
  const older = provider.getByRole('button', { name: 'Show older' });
  while (await older.isVisible()) {
    const shown = await allRows.count();
    await older.click();
    await expect.poll(() => allRows.count()).toBeGreaterThan(shown);
  }
  expect(await earnings.count()).toBeGreaterThanOrEqual(3);
  let sum = 0n;
  for (const r of await earnings.all()) sum += micro((await r.locator('td').last().textContent())!);
  expect(sum).toBe(earned);
});

test('a run trained in the tab continues on the network: the runner starts at its step, the job page names the run', async () => {
  test.setTimeout(300_000);
  const page = payer;
  await newModel(page, `continued run ${Date.now()}`);
  const showDock = page.getByTitle('Show the dock');
  if (await showDock.isVisible()) await showDock.click();
  await expect(page.getByTestId('adapter')).toContainText(/WebGPU: .*swiftshader/i, { timeout: 30_000 });
  const tab = page.getByRole('region', { name: 'Train in this tab' });
  await tab.getByLabel('Epochs', { exact: true }).fill('2');
  await tab.getByLabel('Batch size').fill('32');
  await page.getByRole('button', { name: 'Train on WebGPU' }).click();
  await expect(page.getByTestId('local-run')).toHaveAttribute('data-status', 'completed', { timeout: 120_000 });
  await page.getByLabel('Run name').fill('Tab warm-up');
  await page.getByRole('button', { name: 'Save run' }).click();
  await expect(page.getByRole('button', { name: 'Saved' })).toBeVisible();

  await dockTab(page, 'Runs');
  await page.getByTestId('saved-run').getByRole('button', { name: 'Continue Tab warm-up on the network' }).click();
  // The Train tab's network form opens with the run as its starting point (its weights and Adam state at its step).
  const panel = page.getByTestId('network-training');
  const start = panel.getByTestId('network-start-run');
  await expect(start).toBeVisible();
  await expect(start).toContainText('Starts from saved run “Tab warm-up” at step');
  const step = Number(/at step ([\d,]+)/.exec((await start.textContent())!)![1]!.replace(/,/g, ''));
  expect(step).toBeGreaterThan(0);
  await expect(panel.getByLabel('Batch size')).toHaveValue('32');
  // Removable: without it the quote is a fresh start; put back through the Runs list.
  await panel.getByTestId('network-start-run-remove').click();
  await expect(start).toHaveCount(0);
  await dockTab(page, 'Runs');
  await page.getByTestId('saved-run').getByRole('button', { name: 'Continue Tab warm-up on the network' }).click();
  await expect(start).toBeVisible();

  const escrow = await quoteOnNetwork(panel, '2');
  const startsFrom = panel.getByTestId('quote-start-from');
  await expect(startsFrom).toContainText(`run “Tab warm-up” at step ${step.toLocaleString('en-US')}`);
  await expect(startsFrom).toContainText(/trains epochs \d+–\d+/);
  // A tab run on its own split stops part-way through one of the job's epochs: the job finishes it first.
  const finishes = /finishes epoch \d+, then/.test((await startsFrom.textContent())!);
  console.log(`continued from the tab's run at step ${step}: ${(await startsFrom.textContent())!.trim()}`);
  await panel.getByTestId('network-approve').click();
  await expect(page).toHaveURL(/\/jobs\/[0-9a-f]{24}$/);
  const jobId = page.url().split('/').pop()!;
  const detail = page.getByTestId('job-detail');
  await expect(detail.getByTestId('job-quoted')).toHaveText(escrow);
  const startedFrom = detail.getByTestId('job-start-from');
  await expect(startedFrom).toContainText(`Started from run Tab warm-up at step ${step.toLocaleString('en-US')}`);
  await expect(startedFrom).toContainText('its weights and optimizer state');
  await expect(startedFrom.getByRole('link', { name: 'Tab warm-up' })).toHaveAttribute('href', /\/models\/[0-9a-f]{24}\?run=[0-9a-f]{24}$/);

  await expect(detail.getByTestId('job-status')).toHaveText('Completed', { timeout: 180_000 });
  await expect(detail.getByTestId('job-paid')).toHaveText(escrow);
  // The runner resumed at the run's step, and each checkpoint comes after it.
  await runner!.waitFor(new RegExp(`Job ${jobId}: training on \\S+ from step ${step} of \\d+`));
  const rows = detail.getByTestId('checkpoints').locator('tbody tr');
  await expect(rows).toHaveCount(finishes ? 3 : 2);
  for (const r of await rows.all()) await expect(r).toHaveAttribute('data-verified', 'true');
  await expect(startedFrom).toBeVisible();
});
