import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { personInNewContext, runtime, signIn } from './helpers';

/**
 * Training on the network: a provider's real runner comes online, the demo user opens a model
 * from a template, asks for a quote in "Train on the network" (a cap under every price is
 * explained first), approves it and lands on the job page with the escrow locked, watches the
 * machine pick it up and its progress arrive live, finds it in the Jobs list, then cancels it and
 * is refunded what is left. Long enough (many epochs) that it is still running when cancelled.
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

test('quote, approve and land on the live job page; the Jobs list shows it; cancelling refunds the escrow', async ({ browser }) => {
  test.setTimeout(180_000);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cyxwiz-e2e-jobs-'));
  const configPath = path.join(dir, 'runner.json');
  const { page: provider } = await personInNewContext(browser, 'jobprovider');
  let runner: RunnerProcess | null = null;
  try {
    const login = new RunnerProcess(['login', '--device'], configPath);
    const [, url] = await login.waitFor(/open (\S+)/);
    await provider.goto(new URL(url!).pathname + new URL(url!).search);
    await provider.getByRole('button', { name: 'Approve this runner' }).click();
    expect(await login.exited, login.output).toBe(0);
    const faucet = await provider.request.post('/api/trpc/wallet.faucet', { data: { requestId: `e2e-jobs-${Date.now()}` } });
    expect(faucet.status(), await faucet.text()).toBe(200);
    const register = new RunnerProcess(['register', '--name', 'e2e job rig', '--price', '0.25'], configPath);
    expect(await register.exited, register.output).toBe(0);
    runner = new RunnerProcess(['start', '--interval', '1'], configPath);
    await runner.waitFor(/Online: the platform sees this machine as online/);

    const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
    const page = await context.newPage();
    await signIn(page, DEMO_USER.email, DEMO_USER.password);
    await expect(page).toHaveURL(/\/dashboard$/);
    await page.goto('/models');
    await page.getByLabel('New model name').fill(`network job ${Date.now()}`);
    await page.getByLabel('Start from').selectOption({ label: 'MLP classifier' });
    await page.getByRole('button', { name: 'Create model' }).click();
    await expect(page).toHaveURL(/\/models\/[0-9a-f]{24}$/);

    const panel = page.getByTestId('network-training');
    await expect(panel.getByRole('heading', { name: 'Train on the network' })).toBeVisible();
    // A price cap that no machine meets is explained, naming the cheapest.
    await panel.getByLabel('Hardware').selectOption('cpu');
    await panel.getByLabel('Price cap (CYX/h)').fill('0.1');
    await panel.getByTestId('network-quote').click();
    await expect(panel.getByTestId('network-refusal')).toHaveAttribute('data-kind', 'no-machine');
    await expect(panel.getByTestId('network-refusal')).toContainText('the cheapest is 0.25 CYX/h');

    await panel.getByLabel('Price cap (CYX/h)').fill('1');
    await panel.getByLabel('Epochs').fill('3000');
    await panel.getByTestId('network-quote').click();
    const quote = panel.getByTestId('quote');
    await expect(quote).toBeVisible();
    await expect(quote.getByTestId('quote-matches')).not.toHaveText('0');
    const escrow = (await quote.getByTestId('quote-escrow').textContent())!;
    expect(escrow).toMatch(/ CYX$/);
    await expect(quote.getByRole('table', { name: 'Machines that match' })).toContainText('0.25 CYX/h');

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
    await context.close();
  } finally {
    runner?.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});
