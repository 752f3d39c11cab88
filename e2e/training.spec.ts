import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { dockTab, personInNewContext } from './helpers';

const DIGITS = fileURLToPath(new URL('../../shared/datasets/digits.csv', import.meta.url));

/** Creates a model through the /models form and waits for its editor to open; returns its id. */
async function createModel(page: Page, name: string, template: string | null): Promise<string> {
  await page.goto('/models');
  await page.getByLabel('New model name').fill(name);
  if (template) await page.getByLabel('Start from').selectOption({ label: template });
  await page.getByRole('button', { name: 'Create model' }).click();
  await expect(page).toHaveURL(/\/models\/[0-9a-f]{24}$/);
  return page.url().split('/').pop()!;
}

test('train in the tab on WebGPU: refusal, live charts, a watcher in the room, evaluation, ONNX check, saved run', async ({ browser }) => {
  test.setTimeout(150_000);
  const { page: alice } = await personInNewContext(browser, 'trainer');
  const { page: bob, person: bobPerson } = await personInNewContext(browser, 'watcher');

  // An empty graph is refused with the validator's reason, before any data is read.
  await createModel(alice, 'Blank', null);
  await expect(alice.getByTestId('adapter')).toContainText('WebGPU:', { timeout: 30_000 });
  await alice.getByRole('button', { name: 'Train on WebGPU' }).click();
  await expect(alice.getByTestId('training-refused')).toContainText('The model has no Input layer');
  await expect(alice.getByTestId('local-run')).toHaveCount(0);

  // The MLP template (64 -> 64 -> 32 -> 10) trains on the digits CSV.
  const modelId = await createModel(alice, 'Digits MLP', 'MLP classifier');
  const share = await alice.request.post('/api/trpc/models.share', { data: { id: modelId, who: bobPerson.email, role: 'viewer' } });
  expect(share.status()).toBe(200);
  await bob.goto(`/models/${modelId}`);
  await expect(bob.getByText('Train in this tab')).toBeVisible();

  await expect(alice.getByTestId('adapter')).toContainText(/WebGPU: .*swiftshader/i, { timeout: 30_000 });
  await alice.getByRole('region', { name: 'Train in this tab' }).getByLabel('Dataset').selectOption('file');
  await alice.locator('input[type=file]').setInputFiles(DIGITS);
  await alice.getByRole('region', { name: 'Train in this tab' }).getByLabel('Epochs', { exact: true }).fill('15');
  await alice.getByRole('region', { name: 'Train in this tab' }).getByLabel('Batch size').fill('32');
  await alice.getByRole('region', { name: 'Train in this tab' }).getByLabel('Learning rate').fill('0.01');
  await alice.getByRole('button', { name: 'Train on WebGPU' }).click();

  // The watcher sees the same run's progress through the room's awareness.
  const peerRun = bob.getByTestId('peer-run');
  await expect(peerRun).toContainText('trainer_', { timeout: 30_000 });
  await expect(peerRun).toContainText('digits.csv');
  await expect(peerRun.getByRole('progressbar')).toBeVisible();

  const run = alice.getByTestId('local-run');
  await expect(run).toHaveAttribute('data-status', 'completed', { timeout: 90_000 });
  const accuracy = Number((await alice.getByTestId('val-accuracy').textContent())!.replace('%', ''));
  expect(accuracy).toBeGreaterThanOrEqual(90);
  await expect(peerRun).toContainText('completed');
  await expect(peerRun).toContainText(/val acc \d+\.\d%/);

  // Live charts: accessible SVGs with a data table behind a toggle.
  await expect(alice.getByRole('img', { name: /^Loss Training loss over \d+ samples and validation loss after 15 epochs/ })).toBeVisible();
  await expect(alice.getByRole('img', { name: /^Accuracy/ })).toBeVisible();
  await alice.getByTestId('accuracy-chart').getByRole('button', { name: 'Show data table' }).click();
  await expect(alice.getByTestId('accuracy-chart').getByRole('table')).toContainText('validation accuracy');

  // Evaluation: confusion matrix with counts, per-class accuracy, sample predictions.
  await alice.getByRole('button', { name: 'Evaluate' }).click();
  const evaluation = alice.getByTestId('evaluation');
  await expect(evaluation.getByRole('table', { name: /Confusion matrix/ })).toBeVisible();
  await expect(evaluation.getByRole('table', { name: /Confusion matrix/ }).getByRole('row')).toHaveCount(11);
  await expect(evaluation.getByText('Per-class accuracy')).toBeVisible();
  await expect(evaluation.getByRole('img', { name: '8 by 8 input image' }).first()).toBeVisible();

  // ONNX: downloaded, then run in onnxruntime-web in the page and compared with our forward pass.
  const download = alice.waitForEvent('download');
  await dockTab(alice, 'Export');
  await alice.getByRole('button', { name: 'Export ONNX' }).click();
  expect((await download).suggestedFilename()).toBe('model.onnx');
  await expect(alice.getByTestId('onnx-check')).toContainText('onnxruntime-web check passed', { timeout: 30_000 });

  // Saving needs editor rights: the owner saves, the viewer sees it in the list.
  await dockTab(alice, 'Train');
  await alice.getByRole('button', { name: 'Save run' }).click();
  await expect(alice.getByRole('button', { name: 'Saved' })).toBeVisible();
  await dockTab(bob, 'Runs');
  await expect(bob.getByTestId('saved-run')).toHaveCount(1);
  await expect(bob.getByTestId('saved-run')).toContainText('digits.csv');
  await bob.getByRole('checkbox', { name: /Compare/ }).check();
  await expect(bob.getByRole('img', { name: /^Validation accuracy by run/ })).toBeVisible();
  await expect(bob.getByRole('button', { name: 'Save run' })).toHaveCount(0);
});
