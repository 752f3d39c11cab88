import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test, type Page } from '@playwright/test';
import { dockTab, personInNewContext } from './helpers';

/**
 * In-tab ML a practitioner can trust: every template trains on its built-in dataset with no other
 * step; an uploaded CSV whose features span six orders of magnitude trains with the defaults
 * (per-feature standardisation fitted on the training split), is evaluated with precision / recall
 * / F1 and ROC, exports an ONNX model that takes raw rows, and is saved, loaded back and used to
 * predict typed raw rows.
 */
test.describe.configure({ mode: 'serial' });

let page: Page;
const IRIS = path.resolve(process.cwd(), '../shared/datasets/iris.csv');
// Column k of iris is multiplied by SCALES[k]: 0.001 to 1000, so one global min-max would flatten most of them.
const SCALES = [0.001, 1, 100, 1000];

/** iris.csv (scikit-learn's layout: `150,4,setosa,versicolor,virginica` first) with its feature columns rescaled. */
function scaledIris(): string {
  const [header, ...rows] = readFileSync(IRIS, 'utf8').trim().split('\n');
  const scaled = rows.map((row) => {
    const cells = row.split(',');
    const label = cells.pop()!;
    return [...cells.map((c, k) => String(Number((Number(c) * SCALES[k]!).toPrecision(6)))), label].join(',');
  });
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'cyxwiz-e2e-iris-')), 'iris-scaled.csv');
  writeFileSync(file, [header, ...scaled].join('\n') + '\n');
  return file;
}

const nodeWithShape = (shape: string) => page.locator('.react-flow__node').filter({ has: page.locator('.layer-node-shape', { hasText: shape }) });
const problems = () => page.getByRole('list', { name: 'Problems' });
const percent = async (testId: string) => Number((await page.getByTestId(testId).textContent())!.replace('%', ''));

/** Creates a model through the /models form and waits for its editor to open; returns its id. */
async function createModel(name: string, template: string): Promise<string> {
  await page.goto('/models');
  await page.getByLabel('New model name').fill(name);
  await page.getByLabel('Start from').selectOption({ label: template });
  await page.getByRole('button', { name: 'Create model' }).click();
  await expect(page).toHaveURL(/\/models\/[0-9a-f]{24}$/);
  return page.url().split('/').pop()!;
}

/** The accuracy figure inside the test line ('test accuracy 96.3% · …'). */
async function testAccuracy(): Promise<number> {
  const text = (await page.getByTestId('test-metrics').textContent())!;
  return Number(/test accuracy (\d+(?:\.\d+)?)%/.exec(text)![1]);
}

test.beforeAll(async ({ browser }) => {
  ({ page } = await personInNewContext(browser, 'ml'));
});

for (const template of ['MLP classifier', 'Small CNN', 'Residual block']) {
  test(`a model from the ${template} template trains on its built-in digits with no other step`, async () => {
    test.setTimeout(180_000);
    await createModel(`${template} digits`, template);
    await expect(page.getByTestId('adapter')).toContainText(/WebGPU: .*swiftshader/i, { timeout: 30_000 });
    // The panel starts on the dataset the template is attached to, and the model fits it.
    await expect(page.getByRole('region', { name: 'Train in this tab' }).getByLabel('Dataset')).toHaveValue('builtin:digits');
    await expect(page.getByTestId('problems-ok')).toBeVisible();
    await expect(page.getByTestId('dataset-mismatch')).toHaveCount(0);

    await page.getByRole('button', { name: 'Train on WebGPU' }).click();
    const run = page.getByTestId('local-run');
    await expect(run).toContainText('Digits');
    await expect(run).toHaveAttribute('data-status', 'completed', { timeout: 150_000 });
    const validation = await percent('val-accuracy');
    const held = await testAccuracy();
    console.log(`${template} on built-in digits with the defaults: validation ${validation}%, test ${held}%`);
    expect(validation).toBeGreaterThanOrEqual(85);
    expect(held).toBeGreaterThanOrEqual(85);
  });
}

test('an uploaded iris with features from 0.001x to 1000x, attached to a fitted MLP, trains with the defaults to at least 95%', async () => {
  test.setTimeout(180_000);
  await page.goto('/datasets');
  await page.getByLabel('Dataset file').setInputFiles(scaledIris());
  const detail = page.getByRole('region', { name: 'iris-scaled' });
  await expect(detail.getByTestId('dataset-rows')).toHaveText('150', { timeout: 20_000 });
  await expect(detail.getByTestId('dataset-classes')).toHaveText('3');

  const modelId = await createModel('Iris MLP', 'MLP classifier');
  await page.goto('/datasets');
  await page.getByRole('button', { name: 'iris-scaled', exact: true }).click();
  await detail.getByLabel('Train a model on it').selectOption({ label: 'Iris MLP' });
  await detail.getByRole('button', { name: 'Use this dataset' }).click();
  await expect(detail.getByRole('status').filter({ hasText: 'Iris MLP now trains on it' })).toBeVisible();

  await page.goto(`/models/${modelId}`);
  await expect(page.getByTestId('room-status')).toHaveText('Live');
  await expect(page.getByTestId('adapter')).toContainText(/WebGPU: .*swiftshader/i, { timeout: 30_000 });
  // The attached dataset is the panel's default; the digits-sized template does not fit it yet.
  await expect(page.getByRole('region', { name: 'Train in this tab' }).getByLabel('Dataset').locator('option:checked')).toHaveText(/^iris-scaled/);
  const mismatch = page.getByTestId('dataset-mismatch');
  await expect(mismatch.locator('[data-code="DATASET_FEATURES_MISMATCH"]')).toBeVisible();
  await expect(mismatch.locator('[data-code="DATASET_CLASSES_MISMATCH"]')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Train on WebGPU' })).toBeDisabled();

  // Each problem leads to its layer (the Input, the Dense feeding the loss); Input [4] and 3 units make it fit.
  await problems().locator('[data-code="DATASET_FEATURES_MISMATCH"]').getByRole('button').click();
  await page.getByRole('form', { name: 'Input properties' }).getByLabel('shape').fill('4');
  await problems().locator('[data-code="DATASET_CLASSES_MISMATCH"]').getByRole('button').click();
  await expect(nodeWithShape('→ [10]')).toHaveClass(/selected/);
  await page.getByRole('form', { name: 'Dense properties' }).getByLabel('units').fill('3');
  await expect(mismatch).toHaveCount(0);
  await expect(page.getByTestId('problems-ok')).toBeVisible();

  // The defaults, untouched: the product's own choice of epochs, learning rate and scaling.
  await expect(page.getByTestId('preprocessing')).toHaveValue('standardize');
  // 105 training rows make 3 steps an epoch: the panel suggests 50 epochs (150 steps), not 10.
  await expect(page.getByRole('region', { name: 'Train in this tab' }).getByLabel('Epochs', { exact: true })).toHaveValue('50');
  await page.getByRole('button', { name: 'Train on WebGPU' }).click();
  const run = page.getByTestId('local-run');
  await expect(run).toHaveAttribute('data-status', 'completed', { timeout: 120_000 });
  await expect(run).toContainText('features standardised on the training split');
  const validation = await percent('val-accuracy');
  const held = await testAccuracy();
  console.log(`MLP on scaled iris with the defaults: validation ${validation}%, test ${held}%`);
  expect(validation).toBeGreaterThanOrEqual(95);
});

test('evaluating the iris run shows per-class precision, recall and F1 and the ROC curves', async () => {
  await page.getByRole('button', { name: 'Evaluate' }).click();
  const evaluation = page.getByTestId('evaluation');
  const report = evaluation.getByRole('table', { name: /Per-class precision, recall/ });
  await expect(report).toBeVisible();
  for (const name of ['setosa', 'versicolor', 'virginica', 'macro avg', 'weighted avg']) await expect(report.getByRole('row', { name: new RegExp(`^${name}`) })).toHaveCount(1);
  await expect(report.getByRole('columnheader')).toContainText(['precision', 'recall', 'F1']);
  const roc = evaluation.getByTestId('roc-chart');
  // The chart is named by its title and summary: one-vs-rest curves for all three classes.
  await expect(roc.getByRole('img', { name: /^ROC curves, one class against the rest Macro AUC \d\.\d+ over 3 of 3 classes\.$/ })).toBeVisible();

  // The held-out test split has its own report.
  await evaluation.getByRole('button', { name: /^test \(\d+\)$/ }).click();
  await expect(evaluation.getByRole('table', { name: /Per-class precision, recall/ })).toBeVisible();
  await expect(evaluation.getByTestId('roc-chart')).toBeVisible();
});

test('the exported ONNX model takes raw rows and passes the in-page onnxruntime check', async () => {
  const download = page.waitForEvent('download');
  await dockTab(page, 'Export');
  await page.getByRole('button', { name: 'Export ONNX' }).click();
  expect((await download).suggestedFilename()).toBe('model.onnx');
  const check = page.getByTestId('onnx-check');
  await expect(check).toContainText('onnxruntime-web check passed: raw validation rows through the exported preprocessing and model', { timeout: 30_000 });
  await expect(check).toContainText('logits and probabilities');
});

test('the saved iris run loads back after a reload and predicts typed raw rows', async () => {
  await dockTab(page, 'Train');
  await page.getByLabel('Run name').fill('Iris defaults');
  await page.getByRole('button', { name: 'Save run' }).click();
  await expect(page.getByRole('button', { name: 'Saved' })).toBeVisible();

  // A fresh page holds no run: what predicts below came back from the server.
  await page.reload();
  await expect(page.getByTestId('room-status')).toHaveText('Live');
  await expect(page.getByTestId('local-run')).toHaveCount(0);
  await dockTab(page, 'Runs');
  const saved = page.getByTestId('saved-run');
  await expect(saved).toHaveCount(1);
  await expect(saved).toHaveAttribute('data-graph-changed', 'false');
  await saved.getByRole('button', { name: 'Load Iris defaults' }).click();
  await expect(page.getByTestId('loaded-run')).toContainText('Loaded saved run “Iris defaults”');

  // Raw rows as the uploaded file has them (scaled columns, no standardisation by hand).
  const raw = (row: number[]) => row.map((v, k) => String(Number((v * SCALES[k]!).toPrecision(6)))).join(', ');
  const predict = page.getByRole('region', { name: 'Predict' });
  for (const [row, expected] of [
    [[5.1, 3.5, 1.4, 0.2], 'setosa'],
    [[6.3, 3.3, 6.0, 2.5], 'virginica'],
  ] as const) {
    await predict.getByTestId('predict-row').fill(raw([...row]));
    await predict.getByTestId('predict-button').click();
    const prediction = predict.getByTestId('prediction');
    await expect(prediction).toHaveCount(1);
    await expect(prediction.getByTestId('predicted-class')).toHaveText(expected);
  }
  await expect(predict.getByTestId('predictions').getByRole('columnheader')).toHaveText(['row', 'predicted', 'p(setosa)', 'p(versicolor)', 'p(virginica)']);
});

/** 60 animals: the text column `animal` decides the label (birds are wild), `weight` is noise around it. */
function animalsCsv(): string {
  const kinds = [
    ['cat', 4, 'pet'],
    ['dog', 20, 'pet'],
    ['bird', 0.3, 'wild'],
  ] as const;
  const rows = Array.from({ length: 60 }, (_, i) => {
    const [animal, weight, label] = kinds[i % 3]!;
    return `${animal},${Number((weight * (0.8 + (i % 7) * 0.05)).toPrecision(4))},${label}`;
  });
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'cyxwiz-e2e-animals-')), 'animals.csv');
  writeFileSync(file, `animal,weight,kind\n${rows.join('\n')}\n`);
  return file;
}

/**
 * Uploads a table (read with `missing`), makes an MLP for it whose Input and last Dense are fitted
 * to its features and classes through the problems list, and trains it in the tab with the defaults.
 */
async function trainOnTable(file: string, dataset: string, model: string, rows: string, shape: { features: string; classes: string }, missing?: 'mean') {
  await page.goto('/datasets');
  if (missing) await page.locator('#upload-missing').selectOption(missing);
  await page.getByLabel('Dataset file').setInputFiles(file);
  const detail = page.getByRole('region', { name: dataset });
  await expect(detail.getByTestId('dataset-rows')).toHaveText(rows, { timeout: 20_000 });

  const modelId = await createModel(model, 'MLP classifier');
  await page.goto('/datasets');
  await page.getByRole('button', { name: dataset, exact: true }).click();
  await detail.getByLabel('Train a model on it').selectOption({ label: model });
  await detail.getByRole('button', { name: 'Use this dataset' }).click();
  await expect(detail.getByRole('status').filter({ hasText: `${model} now trains on it` })).toBeVisible();

  await page.goto(`/models/${modelId}`);
  await expect(page.getByTestId('room-status')).toHaveText('Live');
  await expect(page.getByTestId('adapter')).toContainText(/WebGPU: .*swiftshader/i, { timeout: 30_000 });
  await problems().locator('[data-code="DATASET_FEATURES_MISMATCH"]').getByRole('button').click();
  await page.getByRole('form', { name: 'Input properties' }).getByLabel('shape').fill(shape.features);
  await problems().locator('[data-code="DATASET_CLASSES_MISMATCH"]').getByRole('button').click();
  await page.getByRole('form', { name: 'Dense properties' }).getByLabel('units').fill(shape.classes);
  await expect(page.getByTestId('problems-ok')).toBeVisible();
  await page.getByRole('button', { name: 'Train on WebGPU' }).click();
  await expect(page.getByTestId('local-run')).toHaveAttribute('data-status', 'completed', { timeout: 120_000 });
}

/** The Predict box, and a check that one typed row comes out as the expected class. */
function predictBox() {
  const predict = page.getByRole('region', { name: 'Predict' });
  const predictRow = async (row: string, expected: string) => {
    await predict.getByTestId('predict-row').fill(row);
    await predict.getByTestId('predict-button').click();
    await expect(predict.getByTestId('prediction')).toHaveCount(1);
    await expect(predict.getByTestId('predicted-class')).toHaveText(expected);
  };
  return { predict, predictRow };
}

/** Saves the run under `name`, reloads the page and loads the run back: what comes back came with the run, not from this tab. */
async function saveReloadAndLoad(name: string) {
  await dockTab(page, 'Train');
  await page.getByLabel('Run name').fill(name);
  await page.getByRole('button', { name: 'Save run' }).click();
  await expect(page.getByRole('button', { name: 'Saved' })).toBeVisible();
  await page.reload();
  await expect(page.getByTestId('room-status')).toHaveText('Live');
  await dockTab(page, 'Runs');
  await page.getByTestId('saved-run').getByRole('button', { name: `Load ${name}` }).click();
  await expect(page.getByTestId('loaded-run')).toContainText(`Loaded saved run “${name}”`);
}

test('a model trained on a table with a text column predicts rows as the file writes them, before and after saving', async () => {
  test.setTimeout(180_000);
  // animal one-hot (bird, cat, dog) + weight: 4 features, 2 classes.
  await trainOnTable(animalsCsv(), 'animals', 'Animals MLP', '60', { features: '4', classes: '2' });
  await dockTab(page, 'Evaluate');
  const { predict, predictRow } = predictBox();
  await expect(predict).toContainText('2 raw values, comma-separated: animal (categorical), weight');
  await expect(predict.getByTestId('predict-categories')).toContainText('animal: bird / cat / dog');
  await predictRow('cat, 4.5', 'pet');
  await predictRow('bird, 0.3', 'wild');
  await predict.getByTestId('predict-row').fill('lizard, 1');
  await predict.getByTestId('predict-button').click();
  await expect(predict.getByTestId('predict-error')).toHaveText('Line 1, value 1 (animal): “lizard” is not a category the model knows (“bird”, “cat”, “dog”).');

  // Saved and loaded back after a reload: the encoding came back with the run, not from this tab.
  await saveReloadAndLoad('Animals defaults');
  await predictRow('dog, 18', 'pet');
  await predictRow('"bird",0.25', 'wild');
});

/** Small and large animals by height and weight; every fifth row's weight is blank (a gap to fill). */
function gappyCsv(): string {
  const rows = Array.from({ length: 80 }, (_, i) => {
    const large = i % 2 === 1;
    const height = (large ? 1.5 : 0.3) * (0.85 + (i % 7) * 0.05);
    const weight = i % 5 === 0 ? '' : String(Number(((large ? 60 : 4) * (0.8 + (i % 3) * 0.1)).toPrecision(3)));
    return `${height.toPrecision(3)},${weight},${large ? 'large' : 'small'}`;
  });
  const file = path.join(mkdtempSync(path.join(os.tmpdir(), 'cyxwiz-e2e-gappy-')), 'gappy.csv');
  writeFileSync(file, `height,weight,size\n${rows.join('\n')}\n`);
  return file;
}

test("a table read with 'Fill with the training mean' predicts a row with an empty cell, before and after saving", async () => {
  test.setTimeout(180_000);
  await trainOnTable(gappyCsv(), 'gappy', 'Gappy MLP', '80', { features: '2', classes: '2' }, 'mean');
  await dockTab(page, 'Evaluate');
  const { predict, predictRow } = predictBox();
  await expect(predict.getByTestId('predict-fills-missing')).toContainText("takes its column's training mean");
  // The weight left empty takes the training mean; the height decides.
  await predictRow('0.3,', 'small');
  await predictRow('1.6,NA', 'large');
  await predictRow('1.5,61', 'large');

  // Saved and loaded back after a reload: the fill came back with the run.
  await saveReloadAndLoad('Gappy defaults');
  await expect(predict.getByTestId('predict-fills-missing')).toBeVisible();
  await predictRow('0.28,', 'small');
  await predictRow('1.7,', 'large');
});
