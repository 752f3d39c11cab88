import { expect, test, type Locator, type Page } from '@playwright/test';
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

/** Presses Tab (Shift+Tab when `back`) until `target` has focus: reachable by keyboard, or it throws. */
async function tabTo(page: Page, target: Locator, { back = false, max = 150 } = {}) {
  const el = await target.elementHandle({ timeout: 15_000 });
  if (!el) throw new Error(`${target} is not on the page`);
  for (let i = 0; i < max; i++) {
    if (await el.evaluate((node) => node === document.activeElement)) return;
    await page.keyboard.press(back ? 'Shift+Tab' : 'Tab');
  }
  const at = await page.evaluate(() => document.activeElement?.outerHTML.slice(0, 160));
  throw new Error(`could not reach ${target} with ${back ? 'Shift+Tab' : 'Tab'} (focus is on ${at})`);
}

/** Replaces a focused field's text with the keyboard (select all, type). */
async function retype(page: Page, text: string) {
  await page.keyboard.press('ControlOrMeta+a');
  await page.keyboard.type(text);
}

test('keyboard wiring: C, a search and Enter wire Input → Dense → Softmax cross-entropy, and the model trains, keyboard only', async () => {
  test.setTimeout(240_000); // many key presses, and a training run
  // Opening the page is the last thing the mouse (or anything but the keyboard) does here.
  await a.reload();
  await expect(a.getByTestId('room-status')).toHaveText('Live');
  await expect(a.locator('.react-flow__node')).toHaveCount(1); // Dense 1, from the test before
  const layerNode = (name: RegExp) => a.locator('.react-flow__node').filter({ hasText: name });

  // The palette's search adds the best match with Enter; a new layer is selected, and one added
  // after a layer with no outputs (a loss) or into one with no inputs (Input, Labels) stays unwired.
  const search = a.getByRole('navigation', { name: 'Layers' }).getByRole('searchbox', { name: 'Search layers' });
  await tabTo(a, search);
  for (const query of ['softmax cross', 'labels', 'input']) {
    await a.keyboard.type(query);
    await a.keyboard.press('Enter');
  }
  await expect(a.locator('.react-flow__node')).toHaveCount(4);
  await expect(a.locator('.react-flow__edge')).toHaveCount(0);

  // Input is selected (added last): its shape for Blobs' 2 features, in the properties form.
  const inputForm = a.getByRole('form', { name: 'Input properties' });
  await tabTo(a, inputForm.getByLabel('shape', { exact: true }));
  await retype(a, '2');
  await expect(inputForm.getByLabel('shape', { exact: true })).toHaveValue('2');

  // C on the selected Input wires it to Dense; C again (Dense now selected) to the loss's logits.
  await tabTo(a, layerNode(/^Input/), { back: true });
  await a.keyboard.press('c');
  await expect(a.getByTestId('keyboard-connect')).toBeVisible();
  await a.keyboard.type('dense');
  await a.keyboard.press('Enter');
  await expect(a.locator('.react-flow__edge')).toHaveCount(1);
  await a.keyboard.press('c');
  await a.keyboard.type('cross');
  await a.keyboard.press('ArrowDown');
  await a.keyboard.press('ArrowUp');
  await a.keyboard.press('Enter');
  await expect(a.locator('.react-flow__edge')).toHaveCount(2);
  await expect(a.locator('.react-flow__edge').first()).toHaveAttribute('aria-label', /^Connection from (Input|Dense) 1 to (Dense 1|Softmax cross-entropy 1)$/);

  // Labels: focus the node, Enter selects it, C wires it into the loss's labels input.
  await tabTo(a, layerNode(/^Labels/), { back: true });
  await a.keyboard.press('Enter');
  await expect(layerNode(/^Labels/)).toHaveClass(/selected/);
  await a.keyboard.press('c');
  await a.keyboard.type('cross');
  await a.keyboard.press('Enter');
  await expect(a.locator('.react-flow__edge')).toHaveCount(3);
  await expect(a.locator('.react-flow__edge[aria-label="Connection from Labels 1 to Softmax cross-entropy 1"]')).toHaveCount(1);

  // Dense 1 gets 3 units, for Blobs' 3 classes.
  await tabTo(a, layerNode(/^Dense/), { back: true });
  await a.keyboard.press('Enter');
  const denseForm = a.getByRole('form', { name: 'Dense properties' });
  await tabTo(a, denseForm.getByLabel('units', { exact: true }));
  await retype(a, '3');
  await expect(a.getByTestId('problems-ok')).toBeVisible();

  // The Train tab of the dock: Blobs chosen from the dataset list with the arrow keys, 2 epochs, Enter on Train.
  const train = a.getByRole('region', { name: 'Train in this tab' });
  const dataset = train.getByRole('combobox', { name: /^Dataset/ }); // its name also holds the chosen option
  await tabTo(a, dataset);
  for (let i = 0; i < 12 && !/^Blobs/.test(await dataset.evaluate((el) => (el as HTMLSelectElement).selectedOptions[0]?.textContent ?? '')); i++) {
    await a.keyboard.press('ArrowDown');
  }
  await expect(dataset.locator('option:checked')).toHaveText(/^Blobs/);
  await tabTo(a, train.getByLabel('Epochs', { exact: true }));
  await retype(a, '2');
  await tabTo(a, a.getByRole('button', { name: 'Train on WebGPU' }));
  await expect(a.getByRole('button', { name: 'Train on WebGPU' })).toBeEnabled();
  await a.keyboard.press('Enter');
  await expect(a.getByTestId('local-run')).toHaveAttribute('data-status', 'completed', { timeout: 90_000 });
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

test('inside the editor, the icon rail’s account menu signs out, on a wide window and on a phone', async () => {
  // B's own editor tab; signing out ends every session of B's account, so this comes last.
  await b.reload();
  await expect(b.getByTestId('room-status')).toHaveText('Live');
  await expect(b.locator('.topbar')).toBeHidden(); // the editor hides the top bar with its Sign out
  const rail = b.getByRole('navigation', { name: 'Main' });
  const account = rail.getByLabel(`Account: ${people.b.username}`);
  const signOut = rail.getByRole('button', { name: 'Sign out' });

  // Phone: the rail is a row over the editor; the menu opens from the keyboard and shows Sign out.
  await b.setViewportSize({ width: 390, height: 760 });
  await expect(account).toBeVisible();
  await account.focus();
  await b.keyboard.press('Enter');
  await expect(signOut).toBeVisible();
  await expect(signOut).toBeInViewport({ ratio: 1 });
  await b.keyboard.press('Escape');
  await expect(signOut).toBeHidden();

  // Wide window: the rail at the left; the menu opens and Sign out signs out.
  await b.setViewportSize({ width: 1280, height: 800 });
  await account.click();
  await expect(rail.getByRole('group', { name: 'Account' })).toContainText(people.b.email);
  await expect(signOut).toBeInViewport({ ratio: 1 });
  await signOut.click();
  await expect(b).toHaveURL(/\/signin/);
  await b.goto('/models');
  await expect(b).toHaveURL(/\/signin/);
});
