import { fileURLToPath } from 'node:url';
import { chromium, expect, test } from '@playwright/test';
import { BASE_CHROMIUM_ARGS, chromiumPath } from './chromium';
import { personInNewContext } from './helpers';

const DIGITS = fileURLToPath(new URL('../../shared/datasets/digits.csv', import.meta.url));

test('without a WebGPU adapter the training panel says why and trains a small model on the CPU', async () => {
  test.setTimeout(150_000);
  // A browser of its own, started without the WebGPU flags: navigator.gpu exists but offers no adapter.
  const browser = await chromium.launch({ executablePath: chromiumPath(), args: BASE_CHROMIUM_ARGS });
  try {
    const { page } = await personInNewContext(browser, 'cpu');
    await page.goto('/models');
    await page.getByLabel('New model name').fill('CPU digits');
    await page.getByLabel('Start from').selectOption({ label: 'MLP classifier' });
    await page.getByRole('button', { name: 'Create model' }).click();
    await expect(page).toHaveURL(/\/models\/[0-9a-f]{24}$/);

    await expect(page.getByTestId('adapter')).toContainText('No WebGPU:', { timeout: 30_000 });
    await expect(page.getByRole('button', { name: 'Train on WebGPU' })).toHaveCount(0);
    await page.getByRole('region', { name: 'Train in this tab' }).getByLabel('Dataset').selectOption('file');
    await page.locator('input[type=file]').setInputFiles(DIGITS);
    await page.getByRole('region', { name: 'Train in this tab' }).getByLabel('Epochs', { exact: true }).fill('5');
    await page.getByRole('button', { name: 'Train on CPU' }).click();

    const run = page.getByTestId('local-run');
    await expect(run).toContainText('on CPU');
    await expect(run).toHaveAttribute('data-status', 'completed', { timeout: 90_000 });
    const accuracy = Number((await page.getByTestId('val-accuracy').textContent())!.replace('%', ''));
    expect(accuracy).toBeGreaterThanOrEqual(90);
  } finally {
    await browser.close();
  }
});
