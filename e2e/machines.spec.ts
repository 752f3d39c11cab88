import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test } from '@playwright/test';
import { personInNewContext, runtime } from './helpers';

/**
 * A provider's whole first day: the empty page's commands, a real runner process logging in by
 * device code (approved on the connect page), registering and heartbeating; the machine goes
 * online, a unit is paused from the page and the runner hears of it; maintenance, price and name
 * change; kill -9 and it goes offline; removed on the page, the restarted runner is told why.
 * The e2e server's online window is 3 s (playwright.config.ts), the runner beats every second.
 */
const root = fileURLToPath(new URL('..', import.meta.url));

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

test('a runner comes online on My machines, a paused unit reaches it, kill -9 takes it offline, removal stops it', async ({ browser }) => {
  test.setTimeout(150_000);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cyxwiz-e2e-runner-'));
  const configPath = path.join(dir, 'runner.json');
  const { page, person } = await personInNewContext(browser, 'provider');
  let runner: RunnerProcess | null = null;
  try {
    await page.goto('/machines');
    await expect(page.getByRole('heading', { name: 'No machines yet' })).toBeVisible();
    await expect(page.getByTestId('runner-commands')).toContainText(`npm run runner -- login --device --server ${new URL(page.url()).origin}`);

    const login = new RunnerProcess(['login', '--device'], configPath);
    const [, url] = await login.waitFor(/open (\S+)/);
    const code = new URL(url!).searchParams.get('code')!;
    await page.goto(new URL(url!).pathname + new URL(url!).search);
    await expect(page.getByLabel('Code shown by the runner')).toHaveValue(code);
    await page.getByRole('button', { name: 'Approve this runner' }).click();
    await expect(page.getByRole('heading', { name: 'Runner approved' })).toBeVisible();
    expect(await login.exited).toBe(0);
    expect(login.output).toContain(`as ${person.email}`);

    // The stake needs CYX: the provider asks the dev faucet (on in npm start's demo mode).
    const faucet = await page.request.post('/api/trpc/wallet.faucet', { data: { requestId: `e2e-machines-${Date.now()}` } });
    expect(faucet.status(), await faucet.text()).toBe(200);
    const register = new RunnerProcess(['register', '--name', 'e2e rig', '--price', '0.25'], configPath);
    expect(await register.exited, register.output).toBe(0);

    runner = new RunnerProcess(['start', '--interval', '1'], configPath);
    await runner.waitFor(/Online: the platform sees this machine as online/);

    await page.goto('/machines');
    const card = page.getByTestId('machine-card').first();
    await expect(card.getByTestId('machine-status')).toHaveText('Online');
    await expect(card).toContainText('100 CYX'); // the stake
    await expect(card).toContainText('0.25 CYX per hour');
    await expect(card.getByTestId('utilisation-chart')).toBeVisible();

    const cpuUnit = card.getByTestId('unit-card').filter({ hasText: 'CPU' }).last();
    await cpuUnit.getByRole('button', { name: /^Pause CPU/ }).click();
    await expect(cpuUnit).toHaveAttribute('data-unit-status', 'paused');
    await runner.waitFor(/Unit \S+ is now paused \(changed on the website\)\./);

    // The owner's other actions, each checked in what the page then shows.
    await card.getByRole('button', { name: 'Maintenance' }).click();
    await expect(card.getByTestId('machine-status')).toHaveText('Maintenance');
    await card.getByRole('button', { name: 'End maintenance' }).click();
    await expect(card.getByTestId('machine-status')).toHaveText('Online');
    await card.getByRole('button', { name: 'Set price' }).click();
    await card.getByLabel('CYX per hour').fill('-3');
    await card.getByRole('button', { name: 'Save' }).click();
    await expect(card.getByRole('alert')).toContainText('Give the price in CYX per hour');
    await card.getByLabel('CYX per hour').fill('1.5');
    await card.getByRole('button', { name: 'Save' }).click();
    await expect(card).toContainText('1.5 CYX per hour');
    await card.getByRole('button', { name: 'Rename' }).click();
    await card.getByLabel('New name').fill('e2e rig 2');
    await card.getByRole('button', { name: 'Save' }).click();
    await expect(card.getByRole('heading', { name: 'e2e rig 2' })).toBeVisible();

    runner.child.kill('SIGKILL');
    await runner.exited;
    await expect(card.getByTestId('machine-status')).toHaveText('Offline', { timeout: 20_000 });

    // Back online, then removed on the page: the runner is told why and exits 3.
    runner = new RunnerProcess(['start', '--interval', '1'], configPath);
    await expect(card.getByTestId('machine-status')).toHaveText('Online', { timeout: 30_000 });
    await card.getByRole('button', { name: 'Remove' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Remove machine' }).click();
    expect(await runner.exited).toBe(3);
    expect(runner.output).toMatch(/removed by its owner.*MACHINE_CREDENTIAL_REVOKED/);
    await expect(page.getByRole('heading', { name: 'No machines yet' })).toBeVisible();
  } finally {
    runner?.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  }
});
