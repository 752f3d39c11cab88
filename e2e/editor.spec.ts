import { fileURLToPath } from 'node:url';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { dockTab, personInNewContext } from './helpers';

/**
 * One person builds an MLP in the editor by dragging layers from the palette, wires it, edits its
 * parameters (bounds are enforced as they type), watches shapes and problems update live, then
 * breaks the graph on purpose, follows a problem to its node, uses the shortcuts and auto layout,
 * and undoes a parameter change.
 */
test.describe.configure({ mode: 'serial' });

let page: Page;
const ids = { input: '', dense1: '', relu: '', dense2: '', labels: '', loss: '' };

const nodeById = (id: string) => page.locator(`.react-flow__node[data-id="${id}"]`);
const palette = () => page.getByRole('navigation', { name: 'Layers' });
const canvas = () => page.getByTestId('canvas');
const problems = () => page.getByRole('list', { name: 'Problems' });

/** Drags a palette entry onto the canvas (HTML5 drag and drop) and returns the new node's id. */
async function dropLayer(label: string, at: { x: number; y: number }): Promise<string> {
  const before = await page.locator('.react-flow__node').count();
  await palette().getByRole('button', { name: label, exact: true }).dragTo(canvas(), { targetPosition: at });
  await expect(page.locator('.react-flow__node')).toHaveCount(before + 1);
  // A new layer is selected, so the properties panel shows it at once.
  const added = page.locator('.react-flow__node.selected');
  await expect(added).toHaveCount(1);
  const id = (await added.getAttribute('data-id'))!;
  // It lands where it was dropped (its centre near the drop point), or, where that would cover a
  // layer already there, just below it: added layers never overlap.
  const box = (await nodeById(id).boundingBox())!;
  const area = (await canvas().boundingBox())!;
  expect(Math.abs(box.x + box.width / 2 - (area.x + at.x))).toBeLessThan(40);
  const dy = box.y + box.height / 2 - (area.y + at.y);
  if (Math.abs(dy) >= 40) {
    expect(dy).toBeGreaterThan(0);
    for (const other of await page.locator('.react-flow__node').all()) {
      if ((await other.getAttribute('data-id')) === id) continue;
      const b = (await other.boundingBox())!;
      const overlaps = box.x < b.x + b.width && b.x < box.x + box.width && box.y < b.y + b.height && b.y < box.y + box.height;
      expect(overlaps).toBe(false);
    }
  }
  return id;
}

async function wire(from: Locator, to: Locator, targetHandle = 'in') {
  const source = await from.locator('.react-flow__handle.source').first().boundingBox();
  const target = await to.locator(`.react-flow__handle.target[data-handleid="${targetHandle}"]`).boundingBox();
  if (!source || !target) throw new Error('handles not visible');
  await page.mouse.move(source.x + source.width / 2, source.y + source.height / 2);
  await page.mouse.down();
  await page.mouse.move(target.x + target.width / 2, target.y + target.height / 2, { steps: 10 });
  await page.mouse.up();
}

/** The parameter form of the selected layer. */
const form = (layer: string) => page.getByRole('form', { name: `${layer} properties` });

/**
 * Selects one layer alone (clicking a node that is part of a multi-selection keeps the others).
 * The view is fitted first, as a user would: following a problem centres the view on one layer,
 * which can leave another under the palette's splitter, where a click lands on the splitter.
 */
async function select(id: string) {
  await page.getByTitle('Fit view (F)').click();
  await page.locator('.react-flow__pane').click({ position: { x: 10, y: 10 } });
  await nodeById(id).locator('.layer-node-title').click();
  await expect(page.locator('.react-flow__node.selected')).toHaveCount(1);
  await expect(nodeById(id)).toHaveClass(/selected/);
}

test.beforeAll(async ({ browser }) => {
  ({ page } = await personInNewContext(browser, 'eddie'));
  await page.goto('/models');
  await page.getByLabel('New model name').fill('Editor MLP');
  await page.getByRole('button', { name: 'Create model' }).click();
  await expect(page).toHaveURL(/\/models\/[0-9a-f]{24}$/);
  await expect(page.getByTestId('room-status')).toHaveText('Live');
  // Building comes first: the dock is hidden so the canvas has the window's height (shown again to train).
  await page.getByTitle('Hide the dock').click();
});

test('a blank model explains how to start and lists what is missing', async () => {
  await expect(page.getByText('Drag a layer from the palette, or start from a template')).toBeVisible();
  await expect(problems().locator('[data-code="NO_INPUT"]')).toBeVisible();
  await expect(problems().locator('[data-code="NO_LOSS"]')).toBeVisible();
  await expect(page.getByTestId('problem-count')).toHaveText('2');
  await expect(page.getByText('Select a layer to see and edit its parameters.')).toBeVisible();
  // A single click on the palette does not drop a layer (double-click, Enter or drag does).
  await palette().getByRole('button', { name: 'Dense', exact: true }).click();
  await expect(page.locator('.react-flow__node')).toHaveCount(0);
});

test('layers dragged from the palette land where they are dropped', async () => {
  ids.input = await dropLayer('Input', { x: 100, y: 90 });
  await expect(page.getByTestId('canvas-empty')).toHaveCount(0);
  await expect(form('Input')).toBeVisible();
  ids.dense1 = await dropLayer('Dense', { x: 100, y: 230 });
  ids.relu = await dropLayer('ReLU', { x: 100, y: 370 });
  ids.dense2 = await dropLayer('Dense', { x: 340, y: 90 });
  ids.labels = await dropLayer('Labels', { x: 340, y: 370 });
  ids.loss = await dropLayer('Softmax cross-entropy', { x: 340, y: 230 });
  await expect(page.locator('.react-flow__node')).toHaveCount(6);

  // Nothing is wired yet: every layer with an input says so, on the layer itself.
  await expect(problems().locator('[data-code="NO_LOSS"]')).toHaveCount(0);
  await expect(problems().locator('[data-code="UNCONNECTED_INPUT"]')).toHaveCount(5);
  await expect(nodeById(ids.dense1).locator('.layer-node')).toHaveAttribute('data-problem-codes', /UNCONNECTED_INPUT/);
  await expect(nodeById(ids.dense1).getByRole('note')).toContainText(/Dense \d+: needs something connected to its input 'in'/);
  await expect(nodeById(ids.input).locator('.layer-node')).not.toHaveAttribute('data-problem-codes', /./);
});

test('wiring the layers shows the shape on every edge and clears the problems', async () => {
  await wire(nodeById(ids.input), nodeById(ids.dense1));
  await wire(nodeById(ids.dense1), nodeById(ids.relu));
  await wire(nodeById(ids.relu), nodeById(ids.dense2));
  await wire(nodeById(ids.dense2), nodeById(ids.loss), 'logits');
  await wire(nodeById(ids.labels), nodeById(ids.loss), 'labels');
  await expect(page.locator('.react-flow__edge')).toHaveCount(5);

  // Defaults: Input [784], Dense 64 units; labels are one class index per example.
  await expect(page.locator('.edge-label', { hasText: '[784]' })).toHaveCount(1);
  await expect(page.locator('.edge-label', { hasText: '[64]' })).toHaveCount(3);
  await expect(page.locator('.edge-label', { hasText: '[]' })).toHaveCount(1);
  await expect(page.getByTestId('problems-ok')).toBeVisible();
  await expect(page.getByTestId('problem-count')).toHaveText('0');
  // Model facts: 784·64 + 64 and 64·64 + 64 parameters.
  await expect(page.getByTestId('facts-params')).toHaveText('54,400');
});

test('the properties panel edits params, refusing out-of-bounds values as they are typed', async () => {
  await select(ids.input);
  await form('Input').getByLabel('shape').fill('64');
  await expect(page.locator('.edge-label', { hasText: '[784]' })).toHaveCount(0);
  await expect(page.locator('.edge-label', { hasText: '[64]' })).toHaveCount(4);

  await select(ids.dense2);
  const units = form('Dense').getByLabel('units');
  await expect(units).toHaveValue('64');
  await units.fill('0');
  await expect(form('Dense').getByRole('alert')).toHaveText('units must be at least 1 (got 0)');
  await expect(units).toHaveAttribute('aria-invalid', 'true');
  // The invalid value never reached the document: the graph is still valid and unchanged.
  await expect(page.getByTestId('problem-count')).toHaveText('0');
  await expect(page.locator('.edge-label', { hasText: '[64]' })).toHaveCount(4);

  await units.fill('10');
  await expect(form('Dense').getByRole('alert')).toHaveCount(0);
  await expect(page.locator('.edge-label', { hasText: '[10]' })).toHaveCount(1);
  await expect(nodeById(ids.dense2).locator('.layer-node-shape')).toHaveText('→ [10]');

  // Labels rename the layer on the canvas.
  await form('Dense').getByLabel('Label').fill('Logits');
  await expect(nodeById(ids.dense2).locator('.layer-node-title')).toHaveText('Logits');
  await expect(page.getByTestId('problems-ok')).toBeVisible();
});

test('an unconnected layer shows its error on the node, and its problem leads to it', async () => {
  // Nothing selected, so the new layer lands on its own (with a layer selected it would follow it, wired).
  await page.locator('.react-flow__pane').click({ position: { x: 10, y: 10 } });
  const search = palette().getByLabel('Search layers');
  await search.fill('dens');
  await expect(palette().getByRole('button')).toHaveCount(1);
  await search.press('Enter');
  await expect(page.locator('.react-flow__node')).toHaveCount(7);
  const stray = (await page.locator('.react-flow__node.selected').getAttribute('data-id'))!;
  await expect(search).toHaveValue('');

  const problem = problems().locator('[data-code="UNCONNECTED_INPUT"]');
  await expect(problem).toHaveCount(1);
  await expect(page.getByTestId('problem-count')).toHaveText('1');
  await expect(nodeById(stray).locator('.layer-node')).toHaveClass(/has-problem/);
  await expect(nodeById(stray).getByRole('note')).toContainText(/Dense \d+: needs something connected to its input 'in'/);

  // Deselect and look elsewhere, then follow the problem back to the layer.
  await page.locator('.react-flow__pane').click({ position: { x: 10, y: 10 } });
  await expect(page.locator('.react-flow__node.selected')).toHaveCount(0);
  const viewport = page.locator('.react-flow__viewport');
  const before = await viewport.evaluate((el) => (el as HTMLElement).style.transform);
  await problem.getByRole('button').click();
  await expect(nodeById(stray)).toHaveClass(/selected/);
  await expect(nodeById(stray)).toBeInViewport();
  await expect.poll(() => viewport.evaluate((el) => (el as HTMLElement).style.transform)).not.toBe(before);
  await expect(nodeById(stray)).toBeFocused();

  // Delete removes it (the node has focus), and the model is valid again.
  await page.keyboard.press('Delete');
  await expect(page.locator('.react-flow__node')).toHaveCount(6);
  await expect(page.getByTestId('problems-ok')).toBeVisible();
});

test('? opens the shortcuts help, Esc closes it; Ctrl+A selects everything', async () => {
  await select(ids.relu);
  await page.keyboard.press('?');
  const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('Undo your last change');
  await expect(dialog).toContainText('Fit the whole model in view');
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();

  await page.getByRole('button', { name: 'Shortcuts' }).click();
  await expect(dialog).toBeVisible();
  await dialog.getByRole('button', { name: 'Close' }).click();
  await expect(dialog).toBeHidden();

  await select(ids.relu);
  await page.keyboard.press('ControlOrMeta+a');
  await expect(page.locator('.react-flow__node.selected')).toHaveCount(6);
  await expect(page.getByText('6 layers selected. Select one to edit it.')).toBeVisible();
});

test('auto layout arranges the layers in flow order, wrapping into rows, none overlapping', async () => {
  const box = async (id: string) => (await nodeById(id).boundingBox())!;
  // Before: Input and the first Dense were dropped in one column.
  expect(Math.abs((await box(ids.input)).x - (await box(ids.dense1)).x)).toBeLessThan(5);
  await page.getByRole('button', { name: 'Auto layout' }).click();
  // Each layer follows the one feeding it: to its right in the same row, or in a row below (a wrapped chain).
  const follows = async (from: string, to: string) => {
    const a = await box(from);
    const b = await box(to);
    return b.x - a.x > 50 || b.y - (a.y + a.height) >= 0;
  };
  for (const [from, to] of [[ids.input, ids.dense1], [ids.dense1, ids.relu], [ids.relu, ids.dense2], [ids.dense2, ids.loss], [ids.labels, ids.loss]] as const) {
    await expect.poll(() => follows(from!, to!)).toBe(true);
  }
  const all = await Promise.all(Object.values(ids).map(box));
  for (const [i, a] of all.entries()) {
    for (const b of all.slice(i + 1)) expect(a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height).toBe(false);
  }
});

test('undo reverts a parameter change, redo restores it', async () => {
  await select(ids.dense2);
  const units = form('Dense').getByLabel('units');
  await units.fill('12');
  await expect(page.locator('.edge-label', { hasText: '[12]' })).toHaveCount(1);

  // Shortcuts act on the canvas, not inside a text field (where Ctrl+Z is the field's own undo).
  await nodeById(ids.dense2).locator('.layer-node-title').click();
  await page.keyboard.press('ControlOrMeta+z');
  await expect(page.locator('.edge-label', { hasText: '[10]' })).toHaveCount(1);
  await expect(units).toHaveValue('10');

  await page.getByRole('button', { name: 'Redo' }).click();
  await expect(units).toHaveValue('12');
  await page.getByRole('button', { name: 'Undo' }).click();
  await expect(units).toHaveValue('10');
});

test('the hand-built MLP trains in the tab on the uploaded digits.csv and exports a checked ONNX model', async () => {
  test.setTimeout(150_000);
  // Upload the dataset in another tab, as a person would, then come back to the editor.
  const datasets = await page.context().newPage();
  await datasets.goto('/datasets');
  await datasets.getByLabel('Dataset file').setInputFiles(fileURLToPath(new URL('../../shared/datasets/digits.csv', import.meta.url)));
  await expect(datasets.getByRole('region', { name: 'digits' }).getByTestId('dataset-rows')).toHaveText('1,797', { timeout: 20_000 });
  await datasets.close();

  await page.reload();
  await expect(page.getByTestId('room-status')).toHaveText('Live');
  await page.getByTitle('Show the dock').click();
  await expect(page.getByTestId('adapter')).toContainText(/WebGPU: .*swiftshader/i, { timeout: 30_000 });
  await page.getByRole('region', { name: 'Train in this tab' }).getByLabel('Dataset').selectOption({ label: 'digits (1797 rows)' });
  await page.getByRole('region', { name: 'Train in this tab' }).getByLabel('Epochs', { exact: true }).fill('15');
  await page.getByRole('region', { name: 'Train in this tab' }).getByLabel('Batch size').fill('32');
  await page.getByRole('region', { name: 'Train in this tab' }).getByLabel('Learning rate').fill('0.01');
  await page.getByRole('button', { name: 'Train on WebGPU' }).click();

  await expect(page.getByTestId('local-run')).toHaveAttribute('data-status', 'completed', { timeout: 90_000 });
  const accuracy = Number((await page.getByTestId('val-accuracy').textContent())!.replace('%', ''));
  expect(accuracy).toBeGreaterThanOrEqual(90);
  await expect(page.getByRole('img', { name: /^Loss/ })).toBeVisible();
  await expect(page.getByRole('img', { name: /^Accuracy/ })).toBeVisible();

  await page.getByRole('button', { name: 'Evaluate' }).click();
  await expect(page.getByTestId('evaluation').getByRole('table', { name: /Confusion matrix/ }).getByRole('row')).toHaveCount(11);

  await dockTab(page, 'Export');
  await page.getByRole('button', { name: 'Export ONNX' }).click();
  await expect(page.getByTestId('onnx-check')).toContainText('onnxruntime-web check passed', { timeout: 30_000 });
});
