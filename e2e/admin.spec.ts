import { expect, test } from '@playwright/test';
import { personInNewContext, signIn, submitNetworkJob } from './helpers';
import { HttpMachine } from './http-machine';

/**
 * The demo admin finds a person, disables them with a reason (their open session stops at once and
 * sign-in says why), enables them again, and sees both actions in the audit log and its CSV.
 */
test('the demo admin disables and enables a person, and both are in the audit log', async ({ page, browser }) => {
  const { page: theirs, person } = await personInNewContext(browser, 'mallory');

  await signIn(page, 'admin@demo.cyxwiz.dev', 'cyxwiz-admin-2026');
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.goto('/admin');
  await page.getByRole('navigation', { name: 'Admin sections' }).getByRole('link', { name: 'Users' }).click();
  await expect(page.getByRole('heading', { name: 'Users' })).toBeVisible();

  const search = page.getByRole('form', { name: 'Search users' });
  await search.getByLabel('Email or username').fill(person.username.slice(0, 5));
  await search.getByRole('button', { name: 'Search' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'No account has the email or username' })).toBeVisible();
  await search.getByLabel('Email or username').fill(person.email.toUpperCase());
  await search.getByRole('button', { name: 'Search' }).click();
  await page.getByRole('button', { name: `Open ${person.username}` }).click();
  await expect(page.getByRole('heading', { name: person.username })).toBeVisible();

  await page.getByRole('button', { name: 'Disable account' }).click();
  const reasonForm = page.getByRole('form', { name: 'Disable account' });
  await reasonForm.getByRole('button', { name: 'Disable account' }).click();
  await expect(page.locator('#admin-reason-error')).toContainText('at least 3 characters');
  await reasonForm.getByLabel('Reason (kept in the audit log)').fill('Card testing from many accounts');
  await reasonForm.getByRole('button', { name: 'Disable account' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Disabled; sessions ended' })).toBeVisible();
  await expect(page.getByText('Card testing from many accounts')).toBeVisible();

  // Their open session is over: the next page load asks them to sign in, and signing in says why.
  await theirs.goto('/dashboard');
  await expect(theirs).toHaveURL(/\/signin/);
  await signIn(theirs, person.email, person.password);
  await expect(theirs.locator('#signin-error')).toHaveText('This account has been disabled by an administrator. Contact support if you think this is a mistake.');

  await page.getByRole('button', { name: 'Enable account' }).click();
  const enableForm = page.getByRole('form', { name: 'Enable account' });
  await enableForm.getByLabel('Reason (kept in the audit log)').fill('Cleared by support');
  await enableForm.getByRole('button', { name: 'Enable account' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Enabled again' })).toBeVisible();
  await signIn(theirs, person.email, person.password);
  await expect(theirs).toHaveURL(/\/dashboard$/);

  await page.getByRole('navigation', { name: 'Admin sections' }).getByRole('link', { name: 'Audit log' }).click();
  const entries = page.getByRole('table', { name: 'Audit entries' });
  await expect(entries.getByRole('row').filter({ hasText: 'user.disable' }).filter({ hasText: person.username })).toContainText('Card testing from many accounts');
  await expect(entries.getByRole('row').filter({ hasText: 'user.enable' }).filter({ hasText: person.username })).toContainText('demo-admin');

  const filter = page.getByRole('form', { name: 'Filter the audit log' });
  await filter.getByLabel('Action').selectOption('user.enable');
  await filter.getByRole('button', { name: 'Filter' }).click();
  await expect(entries.getByRole('row').filter({ hasText: 'user.disable' })).toHaveCount(0);

  const [download] = await Promise.all([page.waitForEvent('download'), filter.getByRole('button', { name: 'Download CSV' }).click()]);
  const csv = await (await download.createReadStream()).toArray();
  const text = Buffer.concat(csv).toString('utf8');
  expect(text.split('\r\n')[0]).toBe('id,at,actor_id,actor,action,target,reason,ip');
  expect(text).toContain(`demo-admin,user.enable,${person.username},Cleared by support`);
  expect(text).not.toContain('user.disable');
  await theirs.context().close();
});

/**
 * The admin's money and health dashboards: the ledger's invariants hold live, a mint with a reason
 * shows up in the instruction log and the audit log, the health page counts the calls just made,
 * and the machines page filters the fleet.
 */
test('the demo admin checks the ledger live, mints with a reason, finds it in the log, and reads the health page', async ({ page }) => {
  const { person } = await personInNewContext(page.context().browser()!, 'grantee');
  await signIn(page, 'admin@demo.cyxwiz.dev', 'cyxwiz-admin-2026');
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.goto('/admin/ledger');
  const overview = page.getByTestId('ledger-overview');
  await expect(overview).toContainText('supply_equals_minted');
  await expect(overview.locator('li[data-ok="false"]')).toHaveCount(0);

  const mint = page.getByRole('form', { name: 'Mint CYX' });
  await mint.getByLabel('To (username or email)').fill(person.username);
  await mint.getByLabel('Amount (CYX)').fill('12.5');
  await mint.getByLabel('Reason').fill('Hackathon prize');
  await mint.getByRole('button', { name: 'Mint' }).click();
  const minted = page.getByRole('status').filter({ hasText: `Minted 12.5 CYX to ${person.username}` });
  await expect(minted).toBeVisible();
  const seq = (await minted.textContent())!.match(/log entry (\d+)/)![1]!;

  const browse = page.getByRole('form', { name: 'Browse the instruction log' });
  await browse.getByLabel('Sequence number or key').fill(seq);
  await browse.getByRole('button', { name: 'Show' }).click();
  await expect(page.getByTestId('ledger-log').getByRole('row').filter({ hasText: 'mint' })).toContainText('reason=Hackathon prize');

  await page.getByRole('button', { name: 'Verify the ledger' }).click();
  await expect(page.getByTestId('ledger-verify')).toContainText('The replay matches the live balances');

  await page.getByRole('navigation', { name: 'Admin sections' }).getByRole('link', { name: 'Health' }).click();
  await expect(page.getByTestId('health-database')).toContainText(/FerretDB|MongoDB/);
  const mintRow = page.getByTestId('health-procedures').locator('tr[data-path="admin.ledger.mint"]');
  await expect(mintRow).toContainText('admin.ledger.mint');
  await expect(mintRow.locator('td').nth(1)).toHaveText(/^[1-9]\d*$/);

  await page.getByRole('navigation', { name: 'Admin sections' }).getByRole('link', { name: 'Machines' }).click();
  await expect(page.getByRole('heading', { name: 'Machines' })).toBeVisible();
  await page.getByRole('group', { name: 'Filter machines by status' }).getByRole('button', { name: /^Banned/ }).click();
  await expect(page.getByText('No machines match.')).toBeVisible();

  await page.getByRole('navigation', { name: 'Admin sections' }).getByRole('link', { name: 'Audit log' }).click();
  await expect(page.getByRole('table', { name: 'Audit entries' }).getByRole('row').filter({ hasText: 'ledger.mint' }).first()).toContainText('Hackathon prize');
});

/**
 * A provider's runner hangs: its machine (driven from this spec over the runner API) keeps
 * heartbeating, so it stays online and its lease stays renewed, and it starts the job it is given
 * but never reports progress. The demo user's network job sits RUNNING on it. The demo admin opens
 * the Stuck view at 1 minute and, once the page lists the job, requeues it with a reason; requeue
 * blames no machine, so the scheduler hands it straight back to the same one. The admin bans that
 * machine (its whole stake slashed, as the page shows), which puts the job back in the queue, sees
 * the scheduler pass the banned machine over, cancels the job with a refund, and finds the requeues
 * and the ban in the audit log with actor, target and reason.
 * The stuck view counts whole minutes (the page's smallest figure is 1), so this test waits a minute.
 */
test('the demo admin finds a stuck job and requeues it, bans its machine, and both are in the audit log', async ({ page, browser }) => {
  test.setTimeout(150_000);
  const { page: provider } = await personInNewContext(browser, 'hungprovider');
  const machine = await HttpMachine.register(provider, `hung rig ${Date.now().toString(36)}`, '250000');
  machine.start();
  let jobId = '';
  let jobLeftOpen = false;
  try {
    const payer = await (await browser.newContext({ viewport: { width: 1280, height: 800 } })).newPage();
    await signIn(payer, 'user@demo.cyxwiz.dev', 'cyxwiz-user-2026');
    await expect(payer).toHaveURL(/\/dashboard$/);
    jobId = await submitNetworkJob(payer, `stuck job ${Date.now()}`, 50);
    jobLeftOpen = true;
    await expect(payer.getByTestId('job-detail').getByTestId('job-status')).toHaveText('Running', { timeout: 30_000 });
    await payer.context().close();

    await signIn(page, 'admin@demo.cyxwiz.dev', 'cyxwiz-admin-2026');
    await expect(page).toHaveURL(/\/dashboard$/);
    await page.goto('/admin');
    const sections = page.getByRole('navigation', { name: 'Admin sections' });
    await sections.getByRole('link', { name: 'Jobs' }).click();
    await page.getByRole('group', { name: 'Which jobs' }).getByRole('button', { name: 'Stuck' }).click();
    await page.getByLabel('Minutes without progress').fill('1');
    await expect(page.getByText('No leased job has been silent for 1 minute.')).toBeVisible();

    // Heartbeats renew the lease but are not progress: a minute after it started, the page (refreshing itself) lists it.
    const stuckRow = page.getByTestId('admin-jobs-table').locator(`tr[data-job-id="${jobId}"]`);
    await expect(stuckRow, machine.error ?? 'the stuck job never showed').toBeVisible({ timeout: 90_000 });
    await expect(stuckRow).toContainText('Running');
    await expect(stuckRow).toContainText(machine.name);
    await expect(stuckRow).toContainText('1 min ago');
    await stuckRow.getByRole('button', { name: /^stuck job/ }).click();
    const timeline = page.getByTestId('admin-job-detail').getByTestId('admin-job-timeline');
    await expect(timeline).toContainText(`Assigned to ${machine.name}`);
    await expect(timeline).toContainText('Started on the machine');

    await stuckRow.getByRole('button', { name: 'Requeue' }).click();
    const requeueForm = stuckRow.getByRole('form', { name: 'Requeue from the last checkpoint' });
    await requeueForm.getByLabel('Reason (kept in the audit log)').fill('Runner silent for a minute');
    await requeueForm.getByRole('button', { name: 'Requeue from the last checkpoint' }).click();
    await expect(page.getByRole('status').filter({ hasText: `Requeued job ${jobId}: back in the queue, resuming from the start.` })).toBeVisible();
    await expect(stuckRow).toHaveCount(0);
    await expect(timeline).toContainText('Requeued by an administrator: back to the queue from the last verified checkpoint: Runner silent for a minute');
    // Requeue blames no machine: the only one online gets the job straight back.
    await expect(timeline.locator('li').filter({ hasText: `Assigned to ${machine.name}` })).toHaveCount(2);

    await sections.getByRole('link', { name: 'Machines' }).click();
    const machineRow = page.getByTestId('fleet-table').locator(`tr[data-machine-id="${machine.id}"]`);
    await expect(machineRow.getByTestId('machine-status')).toHaveAttribute('data-status', 'busy');
    await expect(machineRow).toContainText('100 CYX (active)');
    await expect(machineRow).toContainText(jobId);
    await machineRow.getByRole('button', { name: 'Ban' }).click();
    const banForm = machineRow.getByRole('form', { name: 'Ban (slashes the stake)' });
    await banForm.getByLabel('Reason (kept in the audit log)').fill('Holds jobs without training them');
    await banForm.getByRole('button', { name: 'Ban (slashes the stake)' }).click();
    await expect(page.getByRole('status').filter({ hasText: `Banned ${machine.name}: 100 CYX slashed from its stake; 1 job it held went back to the queue.` })).toBeVisible();
    await expect(machineRow.getByTestId('machine-status')).toHaveText('Banned');
    await expect(machineRow).toContainText('Holds jobs without training them');
    await expect(machineRow).toContainText('0 CYX (banned)');
    await expect(machineRow.locator('td').nth(6)).toHaveText('100 CYX');
    // The ban took the job off the machine: it waits in the queue, and the scheduler passes the banned machine over.
    await sections.getByRole('link', { name: 'Jobs' }).click();
    const row = page.getByTestId('admin-jobs-table').locator(`tr[data-job-id="${jobId}"]`);
    await expect(row).toContainText('Waiting for a machine');
    await sections.getByRole('link', { name: 'Machines' }).click();
    const explain = page.getByRole('form', { name: "Explain a job's scheduling" });
    await explain.getByLabel('Job id').fill(jobId);
    await explain.getByRole('button', { name: 'Explain' }).click();
    const bannedUnit = page.getByTestId('explain-job').getByRole('row').filter({ hasText: `${machine.id}-u0` });
    await expect(bannedUnit).toContainText('Its machine is banned.');
    // It never uploaded a checkpoint, so its speed is the device-class estimate, not a measurement.
    await expect(bannedUnit.getByTestId('explain-speed')).toContainText(/^estimated /);

    await sections.getByRole('link', { name: 'Jobs' }).click();
    await row.getByRole('button', { name: 'Cancel' }).click();
    await row.getByLabel('Reason (kept in the audit log)').fill('No honest machine for it today');
    await row.getByRole('button', { name: 'Cancel with refund' }).click();
    await expect(page.getByRole('status').filter({ hasText: new RegExp(`^Cancelled job ${jobId}: [\\d,.]+ CYX refunded to its owner\\.$`) })).toBeVisible();
    jobLeftOpen = false;

    await sections.getByRole('link', { name: 'Audit log' }).click();
    const entries = page.getByRole('table', { name: 'Audit entries' });
    const requeues = entries.getByRole('row').filter({ hasText: 'job.requeue' }).filter({ hasText: `requeued from machine ${machine.id}` });
    await expect(requeues).toHaveCount(2);
    await expect(requeues.filter({ hasText: 'Runner silent for a minute' })).toContainText('demo-admin');
    await expect(requeues.filter({ hasText: 'Runner silent for a minute' })).toContainText(`job ${jobId}`);
    await expect(requeues.filter({ hasText: 'its machine was banned: Holds jobs without training them' })).toContainText('demo-admin');
    const ban = entries.getByRole('row').filter({ hasText: 'machine.ban' }).filter({ hasText: machine.id });
    await expect(ban).toContainText('demo-admin');
    await expect(ban).toContainText(`${machine.name} (${machine.id}): 100 CYX slashed`);
    await expect(ban).toContainText('Holds jobs without training them');
  } finally {
    // A job left waiting would be leased to the next spec's runner: cancel it if the test stopped early.
    if (jobLeftOpen) await page.request.post('/api/trpc/admin.jobs.cancel', { data: { jobId, reason: 'e2e clean-up' } });
    await machine.stop();
    await provider.context().close();
  }
});
