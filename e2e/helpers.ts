import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect, request, type Browser, type Page } from '@playwright/test';

export function runtime(): { url: string; mongoUri: string } {
  return JSON.parse(readFileSync(path.join(process.env.E2E_DATA_DIR!, 'runtime.json'), 'utf8')) as { url: string; mongoUri: string };
}

export async function signIn(page: Page, email: string, password: string) {
  await page.goto('/signin');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** A client with no cookies: what `curl` would be. */
export async function curl() {
  return request.newContext({ baseURL: runtime().url });
}

export interface Person {
  email: string;
  username: string;
  password: string;
}

/** Creates an account through the public API (the sign-up form has its own tests) and signs in a new browser context. */
export async function personInNewContext(browser: Browser, label: string): Promise<{ page: Page; person: Person }> {
  const stamp = `${Date.now().toString(36)}${Math.floor(Math.random() * 1000)}`;
  const person = { email: `${label}-${stamp}@example.com`, username: `${label}_${stamp}`, password: `${label}-password-1` };
  const client = await curl();
  const res = await client.post('/api/trpc/account.signUp', { data: person });
  expect(res.status()).toBe(200);
  await client.dispose();
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await signIn(page, person.email, person.password);
  await expect(page).toHaveURL(/\/dashboard$/);
  return { page, person };
}

/** Opens a tab of the editor's bottom dock (Train, Evaluate, Runs, Export). */
export async function dockTab(page: Page, name: 'Train' | 'Evaluate' | 'Runs' | 'Export') {
  const tab = page.getByRole('tab', { name, exact: true });
  await tab.click();
  await expect(tab).toHaveAttribute('aria-selected', 'true');
}

/**
 * What the demo user does to train on the network, as jobs.spec.ts walks it in detail: a new model
 * from the MLP template (on the built-in digits), a quote on a CPU at a 1 CYX/h cap, approved.
 * Answers the job's id once its page is open.
 */
export async function submitNetworkJob(page: Page, modelName: string, epochs: number): Promise<string> {
  await page.goto('/models');
  await page.getByLabel('New model name').fill(modelName);
  await page.getByLabel('Start from').selectOption({ label: 'MLP classifier' });
  await page.getByRole('button', { name: 'Create model' }).click();
  await expect(page).toHaveURL(/\/models\/[0-9a-f]{24}$/);
  const panel = page.getByTestId('network-training');
  await panel.getByLabel('Hardware').selectOption('cpu');
  await panel.getByLabel('Price cap (CYX/h)').fill('1');
  await panel.getByLabel('Epochs').fill(String(epochs));
  await panel.getByTestId('network-quote').click();
  await expect(panel.getByTestId('quote').getByTestId('quote-matches')).not.toHaveText('0');
  await panel.getByTestId('network-approve').click();
  await expect(page).toHaveURL(/\/jobs\/[0-9a-f]{24}$/);
  return page.url().split('/').pop()!;
}
