import { expect, test, type Page } from '@playwright/test';
import { personInNewContext, type Person } from './helpers';

/**
 * Readable for everyone: two collaborators in different colours, and a dark theme with no light
 * panel left over (checked through computed styles; a screenshot is saved for people to look at).
 */
test.describe.configure({ mode: 'serial' });

let a: Page;
let b: Page;
let people: { a: Person; b: Person };

/** Relative luminance of a computed CSS colour ("rgb(…)" / "rgba(…)"), 0 black to 1 white. */
function luminance(css: string): number {
  const [r, g, b] = (css.match(/[\d.]+/g) ?? []).slice(0, 3).map((v) => Number(v) / 255);
  const lin = (c: number) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  return 0.2126 * lin(r ?? 0) + 0.7152 * lin(g ?? 0) + 0.0722 * lin(b ?? 0);
}

test.beforeAll(async ({ browser }) => {
  const pa = await personInNewContext(browser, 'rita');
  const pb = await personInNewContext(browser, 'rob');
  a = pa.page;
  b = pb.page;
  people = { a: pa.person, b: pb.person };
  await a.goto('/models');
  await a.getByLabel('New model name').fill('Readable model');
  await a.getByRole('button', { name: 'Create model' }).click();
  await expect(a).toHaveURL(/\/models\/[0-9a-f]{24}$/);
  await expect(a.getByTestId('room-status')).toHaveText('Live');
  await a.getByRole('button', { name: 'Share' }).click();
  await a.getByLabel('Email or username').fill(people.b.email);
  await a.getByRole('button', { name: 'Share', exact: true }).last().click();
  await expect(a.getByRole('table', { name: 'People with access' })).toContainText(people.b.username);
  await a.getByRole('button', { name: 'Close' }).click();
  await b.goto(new URL(a.url()).pathname);
  await expect(b.getByTestId('room-status')).toHaveText('Live');
});

test('two collaborators see each other in different colours', async () => {
  const boxA = (await a.locator('.react-flow__pane').boundingBox())!;
  await a.mouse.move(boxA.x + 60, boxA.y + 60);
  await a.mouse.move(boxA.x + 90, boxA.y + 80, { steps: 5 });
  const boxB = (await b.locator('.react-flow__pane').boundingBox())!;
  await b.mouse.move(boxB.x + 120, boxB.y + 90);
  await b.mouse.move(boxB.x + 150, boxB.y + 110, { steps: 5 });
  const aOnB = b.getByTestId(`cursor-${people.a.username}`);
  const bOnA = a.getByTestId(`cursor-${people.b.username}`);
  await expect(aOnB).toBeVisible();
  await expect(bOnA).toBeVisible();
  const colorOfA = await aOnB.evaluate((el) => getComputedStyle(el).color);
  const colorOfB = await bOnA.evaluate((el) => getComputedStyle(el).color);
  expect(colorOfA).not.toBe(colorOfB);
});

/** A canvas's React Flow viewport (from the .react-flow__viewport transform) and its size. */
async function viewOf(page: Page) {
  return page.locator('.react-flow').evaluate((el) => {
    const vp = el.querySelector('.react-flow__viewport') as HTMLElement;
    const m = /translate\((-?[\d.e-]+)px,\s*(-?[\d.e-]+)px\)\s*scale\(([\d.e-]+)\)/.exec(vp.style.transform);
    if (!m) throw new Error(`unexpected transform ${vp.style.transform}`);
    return { x: Number(m[1]), y: Number(m[2]), zoom: Number(m[3]), width: el.clientWidth, height: el.clientHeight };
  });
}

type View = Awaited<ReturnType<typeof viewOf>>;
/** The centre of what a canvas shows, in flow coordinates. */
const centreOf = (v: View) => ({ x: (v.width / 2 - v.x) / v.zoom, y: (v.height / 2 - v.y) / v.zoom });

/** B shows what A shows: the same centre, and A's zoom scaled by how much smaller or larger B's canvas is. */
function sameArea(viewA: View, viewB: View): boolean {
  const ca = centreOf(viewA);
  const cb = centreOf(viewB);
  const scale = Math.min(viewB.width / viewA.width, viewB.height / viewA.height);
  const zoom = Math.min(2.5, Math.max(0.05, viewA.zoom * scale));
  return Math.abs(ca.x - cb.x) < 1 && Math.abs(ca.y - cb.y) < 1 && Math.abs(viewB.zoom - zoom) / zoom < 0.01;
}

async function panBy(page: Page, dx: number, dy: number) {
  const box = (await page.locator('.react-flow__pane').boundingBox())!;
  const x = box.x + box.width / 2;
  const y = box.y + box.height / 2;
  await page.mouse.move(x, y);
  await page.mouse.down();
  await page.mouse.move(x + dx, y + dy, { steps: 8 });
  await page.mouse.up();
}

test('B follows A’s view: A pans and zooms, B’s canvas follows; B pans or presses Esc, and it stops', async () => {
  const follow = b.getByRole('button', { name: `Follow ${people.a.username}` });
  await expect(follow).toHaveAttribute('aria-pressed', 'false');
  await follow.click();
  await expect(follow).toHaveAttribute('aria-pressed', 'true');
  const banner = b.getByTestId('follow-banner');
  await expect(banner).toHaveText(`Following ${people.a.username} — Esc or pan to stop`);
  // The banner wears A's colour, the one A's avatar has.
  const avatarColour = await follow.evaluate((el) => getComputedStyle(el).backgroundColor);
  expect(await banner.evaluate((el) => getComputedStyle(el).backgroundColor)).toBe(avatarColour);

  await panBy(a, 160, 90);
  const box = (await a.locator('.react-flow__pane').boundingBox())!;
  await a.mouse.move(box.x + box.width / 3, box.y + box.height / 3);
  await a.mouse.wheel(0, -400); // zoom in around the pointer
  await expect.poll(async () => (await viewOf(a)).zoom).toBeGreaterThan(1.05);
  const viewA = await viewOf(a);
  expect(viewA.x).not.toBe(0);
  await expect.poll(async () => sameArea(viewA, await viewOf(b)), { timeout: 5000 }).toBe(true);

  // B pans: following stops, and A's next moves leave B's view where B put it.
  await panBy(b, -120, 40);
  await expect(banner).toBeHidden();
  await expect(follow).toHaveAttribute('aria-pressed', 'false');
  const viewB = await viewOf(b);
  await panBy(a, -200, -60);
  await expect.poll(async () => (await viewOf(a)).x).not.toBe(viewA.x);
  await b.waitForTimeout(300); // longer than a few viewport broadcasts
  expect(await viewOf(b)).toEqual(viewB);

  // Following again catches up with A at once; Esc stops it.
  await follow.click();
  await expect(banner).toBeVisible();
  const viewA2 = await viewOf(a);
  await expect.poll(async () => sameArea(viewA2, await viewOf(b)), { timeout: 5000 }).toBe(true);
  await b.keyboard.press('Escape');
  await expect(banner).toBeHidden();
  await expect(follow).toHaveAttribute('aria-pressed', 'false');
});

test('problems name layers, never ids', async () => {
  await a.getByRole('navigation', { name: 'Layers' }).getByRole('button', { name: 'Dense', exact: true }).dblclick();
  await expect(a.locator('.react-flow__node')).toHaveCount(1);
  const problems = a.locator('.problems-list');
  await expect(problems).toContainText('Dense');
  await expect(problems).not.toContainText(/\bn_[a-z0-9]{6,}/);
  await expect(a.locator('.react-flow__node').first()).toHaveAttribute('aria-label', /^Dense \d+ layer$/);
});

test('keyboard wiring: C, a search and Enter wire Input → Dense → Softmax cross-entropy', async () => {
  const palette = a.getByRole('navigation', { name: 'Layers' });
  for (const layer of ['Input', 'Softmax cross-entropy']) {
    await a.locator('.react-flow__pane').click({ position: { x: 20, y: 20 } }); // nothing selected: no auto-wiring
    await palette.getByRole('button', { name: layer, exact: true }).dblclick();
  }
  await expect(a.locator('.react-flow__node')).toHaveCount(3);
  await expect(a.locator('.react-flow__edge')).toHaveCount(0);
  await a.locator('.react-flow__node').filter({ hasText: /^Input/ }).locator('.layer-node-title').click();
  await a.keyboard.press('c');
  await expect(a.getByTestId('keyboard-connect')).toBeVisible();
  await a.keyboard.type('dense');
  await a.keyboard.press('Enter');
  await expect(a.locator('.react-flow__edge')).toHaveCount(1);
  await a.keyboard.press('c');
  await a.keyboard.type('softmax');
  await a.keyboard.press('ArrowDown');
  await a.keyboard.press('ArrowUp');
  await a.keyboard.press('Enter');
  await expect(a.locator('.react-flow__edge')).toHaveCount(2);
  await expect(a.locator('.react-flow__edge').first()).toHaveAttribute('aria-label', /^Connection from (Input|Dense) 1 to (Dense 1|Softmax cross-entropy 1)$/);
});

test('the dark theme leaves no light-coloured panel, and is remembered', async () => {
  await a.getByTestId('theme-switch').selectOption('dark');
  await expect(a.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect(a.locator('.react-flow')).toHaveClass(/dark/);
  const selectors = ['body', '.topbar', '.sidebar', '.editor-workspace', '.react-flow', '.react-flow__minimap', '.react-flow__controls-button', '.layer-node', 'aside'];
  for (const selector of selectors) {
    const elements = await a.locator(selector).all();
    for (const element of elements) {
      if (!(await element.isVisible())) continue;
      const background = await element.evaluate((el) => {
        // The colour people see: the first non-transparent background up the tree.
        for (let node: Element | null = el; node; node = node.parentElement) {
          const bg = getComputedStyle(node).backgroundColor;
          if (bg && bg !== 'transparent' && !/rgba\(.*,\s*0\)$/.test(bg)) return bg;
        }
        return 'rgb(0, 0, 0)';
      });
      expect(luminance(background), `${selector} background ${background}`).toBeLessThan(0.2);
    }
  }
  await a.screenshot({ path: 'test-results/workspace-dark.png' });
  await a.reload();
  await expect(a.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect(a.getByTestId('theme-switch')).toHaveValue('dark');
  await a.getByTestId('theme-switch').selectOption('system');
  await expect(a.locator('html')).not.toHaveAttribute('data-theme', /./);
});
