import { expect, test, type Browser, type Page } from '@playwright/test';
import { personInNewContext, type Person } from './helpers';

/**
 * Named versions (issue 15, item 6), in two real browsers: the owner saves a version of a template
 * model, changes the model, the editor in the other browser sees the change and browses the
 * version read-only, then the owner restores it and both canvases hold the saved graph again.
 */
test.describe.configure({ mode: 'serial' });

let owner: Page;
let editor: Page;
let people: { owner: Person; editor: Person };
let modelUrl: string;
let layerCount: number;

const canvasNodes = (page: Page) => page.getByTestId('canvas').locator('.react-flow__node');
const versions = (page: Page) => page.getByTestId('versions-panel');

test.beforeAll(async ({ browser }) => {
  const po = await personInNewContext(browser, 'olga');
  const pe = await personInNewContext(browser, 'eddy');
  owner = po.page;
  editor = pe.page;
  people = { owner: po.person, editor: pe.person };

  await owner.goto('/models');
  await owner.getByLabel('New model name').fill('Versioned MLP');
  await owner.getByLabel('Start from').selectOption({ label: 'MLP classifier' });
  await owner.getByRole('button', { name: 'Create model' }).click();
  await expect(owner).toHaveURL(/\/models\/[0-9a-f]{24}$/);
  modelUrl = new URL(owner.url()).pathname;
  await expect(owner.getByTestId('room-status')).toHaveText('Live');

  await owner.getByRole('button', { name: 'Share' }).click();
  await owner.getByLabel('Email or username').fill(people.editor.email);
  await owner.getByRole('button', { name: 'Share', exact: true }).last().click();
  await expect(owner.getByRole('table', { name: 'People with access' })).toContainText(people.editor.username);
  await owner.getByRole('button', { name: 'Close' }).click();

  await editor.goto(modelUrl);
  await expect(editor.getByTestId('room-status')).toHaveText('Live');
  await expect(canvasNodes(owner).first()).toBeVisible();
  layerCount = await canvasNodes(owner).count();
  expect(layerCount).toBeGreaterThan(2);
  await expect(canvasNodes(editor)).toHaveCount(layerCount);
});

test('a new person’s dashboard says how to start, and after work it lists the model', async () => {
  // The owner made and shared a model in beforeAll; the editor has done nothing of their own yet.
  await editor.goto('/dashboard');
  await expect(editor.getByTestId('recent-runs')).toContainText('No saved runs yet.');
  await expect(editor.getByTestId('recent-jobs')).toContainText('No network jobs yet.');
  await expect(editor.getByTestId('recent-models')).toContainText('Versioned MLP');
  await editor.goto(modelUrl);
  await expect(editor.getByTestId('room-status')).toHaveText('Live');
});

test('the signed-out landing page shows a live demo canvas', async ({ browser }: { browser: Browser }) => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  const visitor = await context.newPage();
  await visitor.goto('/');
  await expect(visitor.getByRole('link', { name: 'Create an account' })).toBeVisible();
  const demo = visitor.getByTestId('landing-demo');
  await expect(demo.locator('.react-flow__node').first()).toBeVisible();
  expect(await demo.locator('.react-flow__node').count()).toBeGreaterThan(5);
  await visitor.screenshot({ path: 'test-results/landing.png' });
  await context.close();
});

test('the owner saves a named version and the list shows its name, author and size', async () => {
  const panel = versions(owner);
  await expect(panel.getByText('No named versions yet.', { exact: false })).toBeVisible();
  await panel.getByLabel('Version name').fill('Baseline');
  await panel.getByRole('button', { name: 'Save version' }).click();
  await expect(panel.getByRole('status')).toHaveText('Saved “Baseline”.');
  const row = panel.getByTestId('version-row');
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('Baseline');
  await expect(row).toContainText(people.owner.username);
  await expect(row).toContainText(`${layerCount} layers`);
  // An empty name is refused with the server's message, and nothing is saved.
  await panel.getByLabel('Version name').fill('   ');
  await panel.getByRole('button', { name: 'Save version' }).click();
  await expect(panel.getByRole('alert')).toHaveText('Give the version a name.');
  await expect(row).toHaveCount(1);
});

test('the owner changes the model, and the editor sees the change and the version, read-only', async () => {
  await owner.getByRole('button', { name: 'Dropout', exact: true }).dblclick();
  await expect(canvasNodes(owner)).toHaveCount(layerCount + 1);
  await expect(canvasNodes(editor)).toHaveCount(layerCount + 1);

  const panel = versions(editor);
  await panel.getByRole('button', { name: 'Refresh the versions list' }).click();
  await expect(panel.getByTestId('version-row')).toContainText('Baseline');
  await panel.getByRole('button', { name: 'View Baseline' }).click();
  const viewer = editor.getByTestId('version-viewer');
  await expect(viewer).toBeVisible();
  await expect(viewer).toContainText(`Saved by ${people.owner.username}`);
  // The version as it was: one layer fewer than the live model, nothing movable.
  await expect(viewer.getByTestId('version-preview').locator('.react-flow__node')).toHaveCount(layerCount);
  await expect(viewer.locator('.react-flow__node.draggable')).toHaveCount(0);
  await editor.screenshot({ path: 'test-results/versions-viewer.png' });
  await viewer.getByRole('button', { name: 'Close' }).click();
  await expect(viewer).toHaveCount(0);
  await expect(canvasNodes(editor)).toHaveCount(layerCount + 1);
});

test('the owner restores the version, and both browsers hold the saved graph again', async () => {
  const panel = versions(owner);
  await panel.getByRole('button', { name: 'Restore Baseline' }).click();
  await owner.getByRole('button', { name: 'Restore for everyone' }).click();
  await expect(panel.getByRole('status')).toHaveText('Restored “Baseline” for everyone in the model.');
  await expect(canvasNodes(owner)).toHaveCount(layerCount);
  await expect(canvasNodes(editor)).toHaveCount(layerCount);
  await expect(editor.getByTestId('canvas').locator('.layer-node-title', { hasText: /^Dropout/ })).toHaveCount(0);

  // The restore is a change like any other: it survives a reload.
  await editor.reload();
  await expect(editor.getByTestId('room-status')).toHaveText('Live');
  await expect(canvasNodes(editor)).toHaveCount(layerCount);
});
