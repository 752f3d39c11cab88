import { fileURLToPath } from 'node:url';
import { expect, test, type Browser, type Page } from '@playwright/test';
import { dockTab, personInNewContext } from './helpers';

/**
 * The editor as a workspace (issue 15): at 1280x720 and 1920x1080 every template opens with all
 * its layers in view, auto layout leaves none outside or overlapping, a layer added with one
 * selected follows it and is wired to it, panel sizes are remembered, and with three runs compared
 * in the enlarged dock nothing sticks out of its panel. On a phone the model is a read-only canvas
 * with its problems and latest run. Screenshots land in test-results/workspace-*.png.
 */
test.describe.configure({ mode: 'serial' });

const TEMPLATES = ['MLP classifier', 'Small CNN', 'Residual block'] as const;
const SIZES = [
  { width: 1280, height: 720 },
  { width: 1920, height: 1080 },
] as const;
const shot = (name: string) => fileURLToPath(new URL(`../test-results/workspace-${name}.png`, import.meta.url));

let page: Page;
let browser: Browser;
const models: Record<string, string> = {};

async function createModel(name: string, template: string): Promise<string> {
  await page.goto('/models');
  await page.getByLabel('New model name').fill(name);
  await page.getByLabel('Start from').selectOption({ label: template });
  await page.getByRole('button', { name: 'Create model' }).click();
  await expect(page).toHaveURL(/\/models\/[0-9a-f]{24}$/);
  await expect(page.getByTestId('room-status')).toHaveText('Live');
  return page.url().split('/').pop()!;
}

interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** The boxes of every layer on screen, and the canvas's. */
async function layout(p: Page): Promise<{ canvas: Box; nodes: (Box & { id: string })[] }> {
  return p.evaluate(() => {
    const rect = (el: Element) => {
      const r = el.getBoundingClientRect();
      return { x: r.x, y: r.y, width: r.width, height: r.height };
    };
    return {
      canvas: rect(document.querySelector('.canvas .react-flow')!),
      nodes: [...document.querySelectorAll('.react-flow__node')].map((el) => ({ id: el.getAttribute('data-id')!, ...rect(el) })),
    };
  });
}

function outside(canvas: Box, nodes: (Box & { id: string })[]): string[] {
  return nodes.filter((n) => n.x < canvas.x - 1 || n.y < canvas.y - 1 || n.x + n.width > canvas.x + canvas.width + 1 || n.y + n.height > canvas.y + canvas.height + 1).map((n) => n.id);
}

async function outOfView(p: Page): Promise<string[]> {
  const { canvas, nodes } = await layout(p);
  return outside(canvas, nodes);
}

function overlapping(nodes: (Box & { id: string })[]): string[] {
  const pairs: string[] = [];
  for (let i = 0; i < nodes.length; i++)
    for (let j = i + 1; j < nodes.length; j++) {
      const a = nodes[i]!;
      const b = nodes[j]!;
      if (a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height) pairs.push(`${a.id}/${b.id}`);
    }
  return pairs;
}

/**
 * Everything in each workspace panel that sticks out of what clips it: an element wider than the
 * panel, or past a clipping ancestor that does not scroll. Content inside a scrolling box (a wide
 * table in its scroller) is fine; the page itself must not scroll sideways.
 */
async function overflowing(p: Page): Promise<string[]> {
  return p.evaluate(() => {
    const found: string[] = [];
    const doc = document.scrollingElement!;
    if (doc.scrollWidth > window.innerWidth + 1) found.push(`page scrolls sideways (${doc.scrollWidth} > ${window.innerWidth})`);
    const panels = ['workspace-palette', 'workspace-canvas', 'workspace-inspector', 'workspace-dock'];
    for (const id of panels) {
      const panel = document.querySelector(`[data-testid="${id}"]`);
      if (!panel) continue;
      const box = panel.getBoundingClientRect();
      if (box.right > window.innerWidth + 1 || box.bottom > window.innerHeight + 1) found.push(`${id} reaches past the window`);
      for (const el of panel.querySelectorAll<HTMLElement>('*')) {
        if (el.closest('.react-flow__viewport, .react-flow__minimap, .remote-cursor')) continue; // the canvas pans its own content
        const r = el.getBoundingClientRect();
        if (r.width === 0 || r.height === 0) continue;
        // The nearest ancestor (up to the panel) that clips: it must hold the element or scroll.
        let clip: HTMLElement | null = el.parentElement;
        while (clip && clip !== panel && getComputedStyle(clip).overflowX === 'visible') clip = clip.parentElement;
        if (!clip) continue;
        const c = clip.getBoundingClientRect();
        const scrolls = clip !== panel && ['auto', 'scroll'].includes(getComputedStyle(clip).overflowX);
        if (scrolls) continue;
        if (r.left < c.left - 1 || r.right > c.right + 1) {
          const name = `${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? `.${el.className.split(' ')[0]}` : ''}`;
          found.push(`${id}: ${name} "${(el.textContent ?? '').slice(0, 30)}" ${Math.round(r.left)}..${Math.round(r.right)} outside ${Math.round(c.left)}..${Math.round(c.right)}`);
        }
      }
    }
    return found.slice(0, 10);
  });
}

test.beforeAll(async ({ browser: b }) => {
  browser = b;
  ({ page } = await personInNewContext(browser, 'workspace'));
  for (const t of TEMPLATES) models[t] = await createModel(`${t} workspace`, t);
});

for (const size of SIZES) {
  test(`at ${size.width}x${size.height} every template opens with all its layers in view`, async () => {
    await page.setViewportSize(size);
    for (const t of TEMPLATES) {
      await page.goto(`/models/${models[t]}`);
      await expect(page.getByTestId('room-status')).toHaveText('Live');
      await expect(page.locator('.react-flow__node').first()).toBeVisible();
      await expect.poll(async () => outOfView(page), { message: t }).toEqual([]);
      // Fit view fits on demand too, after the view was moved away.
      await page.locator('.react-flow__pane').click({ position: { x: 20, y: 20 } });
      await page.mouse.wheel(0, -800);
      await page.getByRole('toolbar', { name: 'Canvas tools' }).getByRole('button', { name: 'Fit view' }).click();
      await expect.poll(async () => outOfView(page), { message: `${t} after Fit view` }).toEqual([]);
    }
    // The app's navigation is an icon rail here: the canvas gets the width.
    const rail = (await page.getByRole('navigation', { name: 'Main' }).boundingBox())!;
    expect(rail.width).toBeLessThan(64);
    await page.screenshot({ path: shot(`light-${size.width}`) });
  });

  test(`at ${size.width}x${size.height} auto layout leaves no layer outside the view and none overlapping`, async () => {
    await page.setViewportSize(size);
    await page.goto(`/models/${models['Residual block']}`);
    await expect(page.getByTestId('room-status')).toHaveText('Live');
    await expect(page.locator('.react-flow__node').first()).toBeVisible();
    await page.getByRole('toolbar', { name: 'Canvas tools' }).getByRole('button', { name: 'Auto layout' }).click();
    await expect
      .poll(async () => {
        const { canvas, nodes } = await layout(page);
        return [...outside(canvas, nodes), ...overlapping(nodes)];
      })
      .toEqual([]);
    // Data flows left to right: every edge's target starts right of its source, or on a later (wrapped) row.
    const backwards = await page.evaluate(() => {
      const at = (id: string) => document.querySelector(`.react-flow__node[data-id="${CSS.escape(id)}"]`)!.getBoundingClientRect();
      return [...document.querySelectorAll('.react-flow__edge')].flatMap((edge) => {
        const [source, target] = [edge.getAttribute('data-source') ?? '', edge.getAttribute('data-target') ?? ''];
        if (!source || !target) return [];
        const s = at(source);
        const t = at(target);
        return t.left > s.left || t.top > s.bottom ? [] : [`${source}->${target}`];
      });
    });
    expect(backwards).toEqual([]);
  });
}

test('a layer added while one is selected lands after it, wired to it, covering nothing', async () => {
  await page.setViewportSize(SIZES[0]);
  await page.goto(`/models/${models['MLP classifier']}`);
  await expect(page.getByTestId('room-status')).toHaveText('Live');
  const nodes = page.locator('.react-flow__node');
  await expect(nodes.first()).toBeVisible();
  const before = await nodes.count();
  const edges = await page.locator('.react-flow__edge').count();
  const first = nodes.first();
  const firstId = (await first.getAttribute('data-id'))!;
  await first.locator('.layer-node-title').click();
  await expect(page.locator('.react-flow__node.selected')).toHaveCount(1);
  const palette = page.getByRole('navigation', { name: 'Layers' });
  await palette.getByRole('button', { name: 'ReLU', exact: true }).dblclick();
  await expect(nodes).toHaveCount(before + 1);
  await expect(page.locator('.react-flow__edge')).toHaveCount(edges + 1);
  const added = (await page.locator('.react-flow__node.selected').getAttribute('data-id'))!;
  expect(added).not.toBe(firstId);
  // Wired: an unconnected ReLU would carry the validator's UNCONNECTED_INPUT problem.
  await expect(page.locator(`.react-flow__node[data-id="${added}"] .layer-node`)).not.toHaveClass(/has-problem/);
  await expect(page.locator('[data-code="UNCONNECTED_INPUT"]')).toHaveCount(0);
  const boxes = (await layout(page)).nodes;
  const from = boxes.find((b) => b.id === firstId)!;
  const to = boxes.find((b) => b.id === added)!;
  expect(to.x).toBeGreaterThan(from.x + from.width);
  // Added twice more after the same layer: each lands in free space.
  await first.locator('.layer-node-title').click();
  await palette.getByRole('button', { name: 'Tanh', exact: true }).dblclick();
  await first.locator('.layer-node-title').click();
  await palette.getByRole('button', { name: 'Sigmoid', exact: true }).dblclick();
  await expect(nodes).toHaveCount(before + 3);
  expect(overlapping((await layout(page)).nodes)).toEqual([]);
  // Undo takes the last layer and its wire away together.
  await page.keyboard.press('ControlOrMeta+z');
  await expect(nodes).toHaveCount(before + 2);
  await expect(page.locator('.react-flow__edge')).toHaveCount(edges + 2);
});

test('panel sizes are remembered for the person, and panels collapse', async () => {
  await page.goto(`/models/${models['MLP classifier']}`);
  await expect(page.getByTestId('room-status')).toHaveText('Live');
  const palettePanel = page.getByTestId('workspace-palette');
  const width = (await palettePanel.boundingBox())!.width;
  const handle = page.getByRole('separator', { name: 'Resize the layers palette' });
  await handle.focus();
  for (let i = 0; i < 4; i++) await page.keyboard.press('ArrowRight');
  await expect.poll(async () => (await palettePanel.boundingBox())!.width).toBeGreaterThan(width + 50);
  const grown = (await palettePanel.boundingBox())!.width;
  await page.getByRole('button', { name: 'Hide inspector' }).click();
  await expect(page.getByRole('form', { name: /properties/ })).toHaveCount(0);
  await page.reload();
  await expect(page.getByTestId('room-status')).toHaveText('Live');
  await expect.poll(async () => Math.round((await palettePanel.boundingBox())!.width)).toBe(Math.round(grown));
  await page.getByRole('button', { name: 'Show inspector' }).click();
  await expect(page.getByTestId('problems-ok')).toBeVisible();
  await handle.focus();
  await page.keyboard.press('Home');
});

test('at 1280x720, with three runs compared in the enlarged dock, nothing sticks out of its panel', async () => {
  test.setTimeout(240_000);
  await page.setViewportSize(SIZES[0]);
  await page.goto(`/models/${models['MLP classifier']}`);
  await expect(page.getByTestId('room-status')).toHaveText('Live');
  await expect(page.getByTestId('adapter')).toContainText(/WebGPU: .*swiftshader/i, { timeout: 30_000 });
  await expect(overflowing(page)).resolves.toEqual([]);
  for (const name of ['one', 'two', 'three']) {
    await dockTab(page, 'Train');
    await page.getByRole('region', { name: 'Train in this tab' }).getByLabel('Epochs', { exact: true }).fill('2');
    await page.getByRole('button', { name: 'Train on WebGPU' }).click();
    await expect(page.getByTestId('local-run')).toHaveAttribute('data-status', 'completed', { timeout: 90_000 });
    await page.getByLabel('Run name').fill(`run ${name}`);
    await page.getByRole('button', { name: 'Save run' }).click();
    await expect(page.getByRole('button', { name: 'Saved' })).toBeVisible();
  }
  // The training tab with a finished run, its charts and the network form beside it.
  await expect(overflowing(page)).resolves.toEqual([]);
  await dockTab(page, 'Runs');
  await page.getByRole('button', { name: 'Enlarge' }).click();
  await expect(page.getByTestId('saved-run')).toHaveCount(3);
  for (const box of await page.getByRole('checkbox', { name: /Compare/ }).all()) await box.check();
  await expect(page.getByRole('img', { name: /^Validation accuracy by run/ })).toBeVisible();
  // Enlarged, the dock takes most of the height and the canvas stays visible above it.
  const dock = (await page.getByTestId('workspace-dock').boundingBox())!;
  const canvas = (await page.getByTestId('workspace-canvas').boundingBox())!;
  expect(dock.height).toBeGreaterThan(400);
  expect(canvas.height).toBeGreaterThan(100);
  await expect(overflowing(page)).resolves.toEqual([]);
  await page.screenshot({ path: shot('compare-1280') });
  for (const tab of ['Evaluate', 'Export'] as const) {
    await dockTab(page, tab);
    await expect(overflowing(page)).resolves.toEqual([]);
  }
  await page.getByRole('button', { name: 'Restore' }).click();
  await dockTab(page, 'Train');
});

test('in dark mode the workspace is dark (screenshot)', async () => {
  const context = await browser.newContext({ viewport: SIZES[0], colorScheme: 'dark', storageState: await page.context().storageState() });
  const dark = await context.newPage();
  await dark.goto(`/models/${models['Residual block']}`);
  await expect(dark.getByTestId('room-status')).toHaveText('Live');
  await expect(dark.locator('.react-flow__node').first()).toBeVisible();
  const background = await dark.getByTestId('workspace-inspector').evaluate((el) => getComputedStyle(el).backgroundColor);
  const [r, g, b] = background.match(/\d+/g)!.map(Number);
  expect(r! + g! + b!).toBeLessThan(3 * 80);
  await dark.screenshot({ path: shot('dark-1280') });
  await context.close();
});

test('on a phone the model opens as a read-only canvas with its problems and latest run', async () => {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, storageState: await page.context().storageState() });
  const phone = await context.newPage();
  await phone.goto(`/models/${models['MLP classifier']}`);
  await expect(phone.getByTestId('room-status')).toHaveText('Live');
  await expect(phone.getByTestId('phone-workspace')).toBeVisible();
  const nodes = phone.locator('.react-flow__node');
  await expect(nodes.first()).toBeVisible();
  // Nothing to edit with: no palette, no inspector form, layers not draggable.
  await expect(phone.getByRole('navigation', { name: 'Layers' })).toHaveCount(0);
  await expect(phone.locator('.react-flow__node.draggable')).toHaveCount(0);
  const canvas = (await phone.locator('.canvas .react-flow').boundingBox())!;
  expect(canvas.width).toBeGreaterThan(300);
  expect(canvas.height).toBeGreaterThan(250);
  await expect.poll(async () => outOfView(phone)).toEqual([]);
  await expect(phone.getByRole('heading', { name: /^Problems/ })).toBeVisible();
  // The runs saved above: the latest one's charts.
  await expect(phone.getByTestId('phone-latest-run')).toContainText('run three');
  await expect(phone.getByTestId('phone-latest-run').getByRole('img', { name: /^Validation accuracy/ })).toBeVisible();
  expect(await phone.evaluate(() => document.scrollingElement!.scrollWidth <= window.innerWidth + 1)).toBe(true);
  await phone.screenshot({ path: shot('phone'), fullPage: true });
  await context.close();
});
