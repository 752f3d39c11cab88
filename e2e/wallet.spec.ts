import { expect, test } from '@playwright/test';
import { signIn } from './helpers';

const DEMO_USER = { email: 'user@demo.cyxwiz.dev', password: 'cyxwiz-user-2026' };
/** How the page writes an amount: grouped whole part ("1,250 CYX"). */
const shown = (cyx: number) => `${cyx.toLocaleString('en-US', { maximumFractionDigits: 6 })} CYX`;

test('the demo user sees a balance, uses the faucet, and sees the history update', async ({ page }) => {
  await signIn(page, DEMO_USER.email, DEMO_USER.password);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Wallet' }).click();
  await expect(page.getByRole('heading', { name: 'Wallet', level: 1 })).toBeVisible();

  // The demo grant, from the ledger (other specs may have moved money since, so read it, then compare).
  const available = page.getByTestId('balance-available');
  await expect(available).toHaveText(/^\d[\d,.]* CYX$/);
  const before = parseFloat((await available.textContent())!.replaceAll(',', ''));
  const rows = page.getByTestId('history-row');
  const count = await rows.count();

  await page.getByRole('button', { name: /^Get 250 CYX$/ }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Added 250 CYX' })).toBeVisible();
  await expect(available).toHaveText(shown(before + 250));
  // One more row on top (the first page holds at most 20: a full page stays full).
  await expect(rows).toHaveCount(count < 20 ? count + 1 : 20);
  await expect(rows.first()).toContainText('Faucet');
  await expect(rows.first()).toContainText('+250 CYX');

  // Filtering by kind keeps only what matches; a kind with nothing says so.
  await page.getByLabel('Filter history by kind').selectOption({ label: 'Transfer' });
  await expect(page.getByRole('heading', { name: 'Nothing of this kind yet' })).toBeVisible();
  await page.getByLabel('Filter history by kind').selectOption({ label: 'Minted' });
  await expect(rows.first()).toContainText('Faucet');
  // The demo grant is there too (among mints: other specs' jobs may have pushed it off the unfiltered first page).
  await expect(rows.filter({ hasText: 'Demo welcome grant' })).toHaveCount(1);

  // Live: money that arrives from elsewhere (another tab) shows up without a reload.
  const faucetRows = rows.filter({ hasText: 'Faucet' });
  const faucets = await faucetRows.count();
  const other = await page.context().newPage();
  await other.goto('/wallet');
  await other.getByRole('button', { name: /^Get 250 CYX$/ }).click();
  await expect(other.getByRole('status').filter({ hasText: 'Added 250 CYX' })).toBeVisible();
  await expect(available).toHaveText(shown(before + 500), { timeout: 10_000 });
  // The history is not polled itself: it reloads because the balance moved.
  await expect(faucetRows).toHaveCount(faucets + 1);
});

test('the demo admin mints CYX with a reason, and verifying the ledger replays it cleanly', async ({ page }) => {
  await signIn(page, 'admin@demo.cyxwiz.dev', 'cyxwiz-admin-2026');
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.goto('/admin');
  const mint = page.getByRole('form', { name: 'Mint CYX' });
  await mint.getByLabel('To (username or email)').fill('demo-user');
  await mint.getByLabel('Amount (CYX)').fill('1.5e3');
  await mint.getByLabel('Reason').fill('Thanks for testing');
  await mint.getByRole('button', { name: 'Mint' }).click();
  await expect(page.locator('#amount-error')).toContainText('at most 6 decimals');
  await mint.getByLabel('Amount (CYX)').fill('12.5');
  await mint.getByRole('button', { name: 'Mint' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Minted 12.5 CYX to demo-user' })).toBeVisible();

  await page.getByRole('button', { name: 'Verify the ledger' }).click();
  const report = page.getByTestId('ledger-verify');
  await expect(report).toContainText('The replay matches the live balances');
  await expect(report.getByRole('listitem').filter({ hasText: '✗' })).toHaveCount(0);
});
