import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { personInNewContext } from './helpers';

/**
 * Datasets and the model list: upload the digits CSV and inspect it, see a malformed CSV refused
 * with its row and column, and take a model from template to rename, duplicate and delete.
 */
test.describe.configure({ mode: 'serial' });

let page: Page;
const digitsCsv = path.resolve(process.cwd(), '../shared/datasets/digits.csv');

test.beforeAll(async ({ browser }) => {
  ({ page } = await personInNewContext(browser, 'dana'));
});

test('uploading digits.csv shows its preview and column statistics', async () => {
  await page.goto('/datasets');
  await expect(page.getByRole('heading', { name: 'No datasets yet' })).toBeVisible();
  await page.getByLabel('Dataset file').setInputFiles(digitsCsv);

  const detail = page.getByRole('region', { name: 'digits' });
  await expect(detail).toBeVisible({ timeout: 20_000 });
  await expect(detail.getByTestId('dataset-rows')).toHaveText('1,797');
  await expect(detail.getByTestId('dataset-columns')).toHaveText('65');
  await expect(detail.getByTestId('dataset-classes')).toHaveText('10');
  await expect(detail.getByRole('table', { name: 'Preview' }).locator('tbody tr')).toHaveCount(20);
  await expect(detail.getByRole('table', { name: 'Preview' })).toContainText('First 20 of 1,797 rows');
  const stats = detail.getByRole('table', { name: 'Column statistics' });
  await expect(stats.locator('tbody tr')).toHaveCount(65);
  // The label column: classes 0..9, ten distinct values, none missing.
  await expect(stats.getByRole('row', { name: /column 65 \(label\)/ }).locator('td')).toHaveText(['0', '9', /^4\.4/, /^2\.8/, '0', '10']);
  await expect(page.getByRole('table', { name: 'Your datasets' })).toContainText('1,797 × 65');

  // The validation split is saved on the dataset.
  await detail.getByLabel('Validation split (%)').fill('25');
  await detail.getByRole('button', { name: 'Save' }).click();
  await expect(detail.getByRole('status').filter({ hasText: 'Saved' })).toBeVisible();
  await page.reload();
  await page.getByRole('button', { name: 'digits', exact: true }).click();
  await expect(page.getByLabel('Validation split (%)')).toHaveValue('25');
});

test('a malformed CSV is refused, naming the row and column', async () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'cyxwiz-e2e-csv-'));
  const bad = path.join(dir, 'broken.csv');
  writeFileSync(bad, 'width,height,label\n1,2,0\n3,oops,1\n5,6,0\n');
  await page.goto('/datasets');
  await page.getByLabel('Dataset file').setInputFiles(bad);
  const error = page.getByTestId('upload-error');
  await expect(error).toContainText('broken.csv was not uploaded.');
  await expect(error).toContainText("Row 3, column 2 (height): 'oops' is not a number.");
  await expect(error).toContainText('(row 3, column 2 “height”)');
  // Nothing was stored: only digits is listed.
  await expect(page.getByRole('table', { name: 'Your datasets' }).locator('tbody tr')).toHaveCount(1);
});

test('a model from the MLP template can be renamed, duplicated, and the copy deleted after confirming', async () => {
  await page.goto('/models');
  await page.getByLabel('New model name').fill('Digits MLP');
  await page.getByLabel('Start from').selectOption({ label: 'MLP classifier' });
  await page.getByRole('button', { name: 'Create model' }).click();
  await expect(page).toHaveURL(/\/models\/[0-9a-f]{24}$/);
  // Input, Dense, ReLU, Dense, ReLU, Dense, Labels, SoftmaxCrossEntropy.
  await expect(page.locator('.react-flow__node')).toHaveCount(8);

  await page.goto('/models');
  await page.getByRole('button', { name: 'Rename Digits MLP' }).click();
  await page.getByLabel('New name for Digits MLP').fill('Digits MLP v2');
  await page.getByRole('button', { name: 'Save' }).click();
  await expect(page.getByRole('link', { name: 'Digits MLP v2', exact: true })).toBeVisible();

  await page.getByRole('button', { name: 'Duplicate Digits MLP v2' }).click();
  await expect(page.getByRole('link', { name: 'Copy of Digits MLP v2' })).toBeVisible();

  // Esc cancels; focus starts on the safe answer.
  await page.getByRole('button', { name: 'Delete Copy of Digits MLP v2' }).click();
  const dialog = page.getByRole('dialog', { name: 'Delete “Copy of Digits MLP v2”?' });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('link', { name: 'Copy of Digits MLP v2' })).toBeVisible();

  await page.getByRole('button', { name: 'Delete Copy of Digits MLP v2' }).click();
  await dialog.getByRole('button', { name: 'Delete model' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('link', { name: 'Copy of Digits MLP v2' })).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'Digits MLP v2', exact: true })).toBeVisible();
});
