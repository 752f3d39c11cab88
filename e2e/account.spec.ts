import { expect, test, type Page } from '@playwright/test';
import { MongoClient, type ObjectId } from 'mongodb';
import { curl, runtime, signIn } from './helpers';

/**
 * The first journey of a new person: sign up, sign in, API keys used from outside the browser,
 * and every error case on the way.
 */
const stamp = Date.now().toString(36);
const person = { email: `ada-${stamp}@example.com`, username: `ada_${stamp}`, password: 'analytical-engine-1843' };
const DEMO_USER_EMAIL = 'user@demo.cyxwiz.dev';

async function signUp(page: Page, values: { email: string; username: string; password: string; confirm?: string }) {
  await page.goto('/signup');
  await page.getByLabel('Email').fill(values.email);
  await page.getByLabel('Username').fill(values.username);
  await page.getByLabel('Password', { exact: true }).fill(values.password);
  await page.getByLabel('Confirm password').fill(values.confirm ?? values.password);
  await page.getByRole('button', { name: 'Create account' }).click();
}

test.describe.configure({ mode: 'serial' });

test('a protected page sends a signed-out visitor to sign in', async ({ page }) => {
  await page.goto('/profile');
  await expect(page).toHaveURL(/\/signin\?callbackUrl=/);
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
});

test('sign-up explains a weak password, a mismatch and a duplicate email inline', async ({ page }) => {
  await signUp(page, { ...person, password: 'short', confirm: 'short' });
  await expect(page.locator('#password-error')).toHaveText('Password must be at least 10 characters, with at least one letter and one number.');
  await expect(page.getByLabel('Password', { exact: true })).toHaveAttribute('aria-invalid', 'true');

  await signUp(page, { ...person, confirm: 'something-else-1' });
  await expect(page.locator('#confirm-error')).toHaveText('The passwords do not match.');

  await signUp(page, { ...person, email: DEMO_USER_EMAIL });
  await expect(page.locator('#email-error')).toHaveText('An account with this email already exists. Sign in instead.');

  await signUp(page, { ...person, email: 'not-an-email' });
  await expect(page.locator('#email-error')).toHaveText('Enter a valid email address.');
});

test('a person signs up, signs out, is refused a wrong password, and signs in', async ({ page }) => {
  await signUp(page, person);
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole('heading', { name: `Welcome, ${person.username}` })).toBeVisible();
  await expect(page.getByTestId('count-My models')).toHaveText('0');
  // No admin section for a normal user.
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' })).toHaveCount(0);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();

  await signIn(page, person.email, 'wrong-password-99');
  await expect(page.locator('#signin-error')).toHaveText('Email or password is incorrect.');
  await signIn(page, 'nobody-' + person.email, person.password);
  await expect(page.locator('#signin-error')).toHaveText('Email or password is incorrect.');

  await signIn(page, person.email, person.password);
  await expect(page).toHaveURL(/\/dashboard$/);
});

test('API keys: create, use from outside the browser, see last use, revoke, expire', async ({ page }) => {
  await signIn(page, person.email, person.password);
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Profile' }).click();
  await expect(page.getByTestId('profile-email')).toHaveText(person.email);
  await expect(page.getByRole('heading', { name: 'No API keys' })).toBeVisible();

  // A key needs a name.
  await page.getByRole('button', { name: 'Create key' }).click();
  await expect(page.locator('#name-error')).toHaveText('Give the key a name.');

  await page.getByLabel('Key name').fill('laptop runner');
  await page.getByRole('button', { name: 'Create key' }).click();
  const key = (await page.getByTestId('new-api-key').textContent())!.trim();
  expect(key).toMatch(/^cyx_/);
  await expect(page.getByRole('table', { name: 'Your API keys' })).toContainText('laptop runner');
  await expect(page.getByTestId('last-used-laptop runner')).toHaveText('never');

  const client = await curl();
  const whoami = await client.get('/api/trpc/runner.whoami', { headers: { authorization: `Bearer ${key}` } });
  expect(whoami.status()).toBe(200);
  expect((await whoami.json()).result.data).toMatchObject({ email: person.email, apiKey: { name: 'laptop runner' } });

  // Without the key the same call is refused.
  const anonymous = await client.get('/api/trpc/runner.whoami');
  expect(anonymous.status()).toBe(401);

  await page.reload();
  await expect(page.getByTestId('last-used-laptop runner')).not.toHaveText('never');

  // Revoke, with a confirmation step; the key stops working at once.
  await page.getByRole('button', { name: 'Revoke laptop runner' }).click();
  await page.getByRole('button', { name: 'Confirm revoke' }).click();
  await expect(page.getByRole('heading', { name: 'No API keys' })).toBeVisible();
  const revoked = await client.get('/api/trpc/runner.whoami', { headers: { authorization: `Bearer ${key}` } });
  expect(revoked.status()).toBe(401);
  expect((await revoked.json()).error.data.appCode).toBe('API_KEY_REVOKED');

  // An expiring key, aged past its expiry in the real database, is refused with its own code.
  await page.getByLabel('Key name').fill('short-lived');
  await page.getByLabel('Expires in (days, optional)').fill('1');
  await page.getByRole('button', { name: 'Create key' }).click();
  const shortLived = (await page.getByTestId('new-api-key').textContent())!.trim();
  const mongo = new MongoClient(runtime().mongoUri);
  try {
    const db = mongo.db('cyxwiz');
    const user = await db.collection('users').findOne({ email: person.email });
    const updated = await db.collection('apiKeys').updateOne({ userId: user!._id as ObjectId, name: 'short-lived' }, { $set: { expiresAt: new Date(Date.now() - 1000) } });
    expect(updated.modifiedCount).toBe(1);
  } finally {
    await mongo.close();
  }
  const expired = await client.get('/api/trpc/runner.whoami', { headers: { authorization: `Bearer ${shortLived}` } });
  expect(expired.status()).toBe(401);
  expect((await expired.json()).error.data.appCode).toBe('API_KEY_EXPIRED');
  await client.dispose();
});

test('a non-admin gets 403 from admin procedures and malformed input gets 400 with the field', async ({ page }) => {
  await signIn(page, person.email, person.password);
  await expect(page).toHaveURL(/\/dashboard$/);

  const admin = await page.request.get('/api/trpc/admin.overview');
  expect(admin.status()).toBe(403);
  expect((await admin.json()).error.data.appCode).toBe('ADMIN_ONLY');
  await page.goto('/admin');
  await expect(page.getByText('Only administrators can see this page.')).toBeVisible();

  const client = await curl();
  const malformed = await client.post('/api/trpc/account.signUp', { data: { email: 'nope', username: 'x', password: 'long-enough-pass-1' } });
  expect(malformed.status()).toBe(400);
  const body = await malformed.json();
  expect(body.error.data.appCode).toBe('INVALID_INPUT');
  expect(body.error.data.fieldErrors.email).toEqual(['Enter a valid email address.']);
  expect(body.error.data.fieldErrors.username).toEqual(['Username must be at least 3 characters.']);
  expect(JSON.stringify(body)).not.toContain('stack');

  const huge = await client.post('/api/trpc/account.signUp', { data: { email: 'x@example.com', username: 'x'.repeat(2 * 1024 * 1024), password: 'long-enough-pass-1' } });
  expect(huge.status()).toBe(413);
  expect((await huge.json()).error.data.appCode).toBe('PAYLOAD_TOO_LARGE');
  await client.dispose();
});

test('the demo admin sees the admin dashboard', async ({ page }) => {
  await signIn(page, 'admin@demo.cyxwiz.dev', 'cyxwiz-admin-2026');
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Admin' }).click();
  await expect(page.getByRole('heading', { name: 'Newest accounts' })).toBeVisible();
  await expect(page.getByRole('table')).toContainText(person.email);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
});

test('repeated wrong passwords lock the account for a while, with a message that says so', async ({ page }) => {
  const victim = { email: `locked-${stamp}@example.com`, username: `locked_${stamp}`, password: 'the-right-password-1' };
  await signUp(page, victim);
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  // The server allows 5 failed attempts per account in 15 minutes (SIGNIN_LIMIT_PER_ACCOUNT).
  for (let i = 0; i < 5; i++) {
    await signIn(page, victim.email, `wrong-password-${i}`);
    await expect(page.locator('#signin-error')).toHaveText('Email or password is incorrect.');
  }
  await signIn(page, victim.email, victim.password);
  await expect(page.locator('#signin-error')).toHaveText('Too many sign-in attempts. Wait a few minutes and try again.');
  await expect(page).toHaveURL(/\/signin/);
});
