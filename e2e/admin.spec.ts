import { expect, test } from '@playwright/test';
import { personInNewContext, signIn } from './helpers';

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
