import { expect, test, type Locator, type Page } from '@playwright/test';
import { personInNewContext, type Person } from './helpers';

/**
 * Two (and three) real browsers on one model: what one does, the others see; viewers only look;
 * an editor who loses the network keeps working and converges when it returns.
 */
test.describe.configure({ mode: 'serial' });

let a: Page;
let b: Page;
let viewer: Page;
let people: { a: Person; b: Person; viewer: Person };
let modelUrl: string;

const node = (page: Page, title: string) => page.locator('.react-flow__node').filter({ has: page.locator('.layer-node-title', { hasText: new RegExp(`^${title}$`) }) });

async function wire(page: Page, from: Locator, to: Locator) {
  const source = await from.locator('.react-flow__handle.source').first().boundingBox();
  const target = await to.locator('.react-flow__handle.target').first().boundingBox();
  if (!source || !target) throw new Error('handles not visible');
  await page.mouse.move(source.x + source.width / 2, source.y + source.height / 2);
  await page.mouse.down();
  await page.mouse.move(target.x + target.width / 2, target.y + target.height / 2, { steps: 10 });
  await page.mouse.up();
}

async function transformOf(locator: Locator): Promise<string> {
  return locator.evaluate((el) => (el as HTMLElement).style.transform);
}

test.beforeAll(async ({ browser }) => {
  const pa = await personInNewContext(browser, 'ann');
  const pb = await personInNewContext(browser, 'ben');
  const pv = await personInNewContext(browser, 'vic');
  a = pa.page;
  b = pb.page;
  viewer = pv.page;
  people = { a: pa.person, b: pb.person, viewer: pv.person };

  await a.goto('/models');
  await a.getByLabel('New model name').fill('Shared canvas');
  await a.getByRole('button', { name: 'Create model' }).click();
  await expect(a).toHaveURL(/\/models\/[0-9a-f]{24}$/);
  modelUrl = new URL(a.url()).pathname;
  await expect(a.getByTestId('room-status')).toHaveText('Live');

  await a.getByRole('button', { name: 'Share' }).click();
  await a.getByLabel('Email or username').fill(people.b.email);
  await a.getByRole('button', { name: 'Share', exact: true }).last().click();
  await expect(a.getByRole('table', { name: 'People with access' })).toContainText(people.b.username);
  await a.getByLabel('Email or username').fill(people.viewer.username);
  await a.getByLabel('Role').selectOption('viewer');
  await a.getByRole('button', { name: 'Share', exact: true }).last().click();
  await expect(a.getByRole('table', { name: 'People with access' })).toContainText(people.viewer.username);
  await a.getByRole('button', { name: 'Close' }).click();

  await b.goto(modelUrl);
  await viewer.goto(modelUrl);
  await expect(b.getByTestId('room-status')).toHaveText('Live');
  await expect(viewer.getByTestId('room-status')).toHaveText('Live');
});

test('A adds and wires layers, and B sees them', async () => {
  await a.getByRole('button', { name: 'Input', exact: true }).dblclick();
  await a.getByRole('button', { name: 'Dense', exact: true }).dblclick();
  await expect(node(a, 'Input')).toBeVisible();
  await expect(node(a, 'Dense')).toBeVisible();
  await wire(a, node(a, 'Input'), node(a, 'Dense'));
  await expect(a.locator('.react-flow__edge')).toHaveCount(1);

  await expect(node(b, 'Input')).toBeVisible();
  await expect(node(b, 'Dense')).toBeVisible();
  await expect(b.locator('.react-flow__edge')).toHaveCount(1);
});

test('B moves a layer, and A sees it move', async () => {
  const before = await transformOf(node(a, 'Dense'));
  const box = (await node(b, 'Dense').boundingBox())!;
  await b.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await b.mouse.down();
  await b.mouse.move(box.x + box.width / 2 + 160, box.y + box.height / 2 + 90, { steps: 12 });
  await b.mouse.up();
  await expect.poll(() => transformOf(node(a, 'Dense'))).not.toBe(before);
  await expect.poll(() => transformOf(node(a, 'Dense'))).toBe(await transformOf(node(b, 'Dense')));
});

test('A’s cursor and selection appear on B’s screen, in A’s colour', async () => {
  const box = (await a.locator('.react-flow__pane').boundingBox())!;
  await a.mouse.move(box.x + 40, box.y + 40);
  await a.mouse.move(box.x + 80, box.y + 60, { steps: 5 });
  await expect(b.getByTestId(`cursor-${people.a.username}`)).toBeVisible();
  await expect(b.getByRole('list', { name: 'People in this model' }).getByLabel(people.a.username)).toBeVisible();

  await node(a, 'Input').click();
  await expect(node(b, 'Input').locator('.layer-node')).toHaveAttribute('data-peer-selected', /#/);
});

test('a viewer sees everything live but cannot change anything', async () => {
  await expect(viewer.getByText('View only')).toBeVisible();
  await expect(node(viewer, 'Dense')).toBeVisible();
  await expect(viewer.getByRole('button', { name: 'Dense', exact: true })).toBeDisabled();

  const before = await transformOf(node(a, 'Input'));
  const box = (await node(viewer, 'Input').boundingBox())!;
  await viewer.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await viewer.mouse.down();
  await viewer.mouse.move(box.x + 200, box.y + 150, { steps: 10 });
  await viewer.mouse.up();
  await node(viewer, 'Input').click();
  await viewer.keyboard.press('Delete');
  await a.waitForTimeout(500);
  expect(await transformOf(node(a, 'Input'))).toBe(before);
  await expect(node(a, 'Input')).toBeVisible();
  await expect(node(viewer, 'Input')).toBeVisible();
});

test('A goes offline, keeps editing, comes back, and A and B converge', async () => {
  await a.context().setOffline(true);
  await expect(a.getByTestId('room-status')).toContainText('Offline');
  await a.getByRole('button', { name: 'ReLU', exact: true }).dblclick();
  await expect(node(a, 'ReLU')).toBeVisible();
  // Meanwhile B keeps working online.
  await b.getByRole('button', { name: 'Tanh', exact: true }).dblclick();
  await expect(node(b, 'Tanh')).toBeVisible();
  await b.waitForTimeout(500);
  await expect(node(b, 'ReLU')).toHaveCount(0);

  await a.context().setOffline(false);
  await expect(a.getByTestId('room-status')).toHaveText('Live', { timeout: 15_000 });
  await expect(node(b, 'ReLU')).toBeVisible();
  await expect(node(a, 'Tanh')).toBeVisible();
  await expect(a.locator('.react-flow__node')).toHaveCount(4);
  await expect(b.locator('.react-flow__node')).toHaveCount(4);
  await expect(viewer.locator('.react-flow__node')).toHaveCount(4);
});

test('removing B from the model disconnects B at once', async () => {
  await a.getByRole('button', { name: 'Share' }).click();
  await a.getByRole('button', { name: `Remove ${people.b.username}` }).click();
  await expect(b.getByTestId('room-status')).toHaveText('Disconnected');
  await expect(b.getByText('You no longer have access to this model.')).toBeVisible();
  await expect(b.getByRole('button', { name: 'Dense', exact: true })).toBeDisabled();
});
