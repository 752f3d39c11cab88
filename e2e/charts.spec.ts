import { mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { dockTab, personInNewContext } from './helpers';

/**
 * The metric charts (components/charts/MetricChart, uPlot) on a run trained in the tab: they grow
 * in place while it trains, read out values under the pointer, switch to a log scale and to epochs,
 * smooth, follow their panel's width and the dark theme. Screenshots land in test-results/screenshots/.
 */
const SHOTS = fileURLToPath(new URL('../test-results/screenshots/', import.meta.url));

/** The number of coloured (non-transparent) pixels on the chart's canvas, and a checksum of them. */
async function ink(chart: Locator): Promise<{ painted: number; sum: number }> {
  return chart.locator('.metric-plot canvas').evaluate((c: HTMLCanvasElement) => {
    const { data } = c.getContext('2d')!.getImageData(0, 0, c.width, c.height);
    let painted = 0;
    let sum = 0;
    for (let i = 0; i < data.length; i += 4) {
      if (data[i + 3]! > 0) painted++;
      sum = (sum + data[i]! * 3 + data[i + 1]! * 5 + data[i + 2]! * 7) % 1_000_000_007;
    }
    return { painted, sum };
  });
}

/** The read-out under the plot: the x (its name and value) and each series' value. */
async function readout(chart: Locator): Promise<{ xLabel: string; x: string; values: string[] }> {
  const legend = chart.getByRole('group', { name: /values at the pointer/ });
  const xLabel = (await legend.locator('.metric-readout-x .metric-readout-label').textContent())!.trim();
  const x = (await legend.locator('[data-readout="x"]').textContent())!.trim();
  const values = (await legend.locator('.metric-readout:not(.metric-readout-x) .metric-readout-value').allTextContents()).map((v) => v.trim());
  return { xLabel, x, values };
}

/** Moves the pointer over the plot at a fraction of its width (and half its height). */
async function hover(page: Page, chart: Locator, fraction: number) {
  await chart.locator('.u-over').scrollIntoViewIfNeeded();
  const over = (await chart.locator('.u-over').boundingBox())!;
  await page.mouse.move(over.x + over.width * fraction, over.y + over.height / 2, { steps: 3 });
  // uPlot updates the cursor and legend on the next animation frame.
  await page.evaluate(() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done))));
}

const NUMBER = /^-?\d+(\.\d+)?(e-?\d+)?%?/;

test('metric charts: live in place, hover read-out, log scale, epochs, smoothing, width and dark theme', async ({ browser }) => {
  test.setTimeout(180_000);
  mkdirSync(SHOTS, { recursive: true });
  const { page } = await personInNewContext(browser, 'charts');
  await page.goto('/models');
  await page.getByLabel('New model name').fill('Charted MLP');
  await page.getByLabel('Start from').selectOption({ label: 'MLP classifier' });
  await page.getByRole('button', { name: 'Create model' }).click();
  await expect(page).toHaveURL(/\/models\/[0-9a-f]{24}$/);
  await expect(page.getByTestId('adapter')).toContainText(/WebGPU: .*swiftshader/i, { timeout: 30_000 });

  const form = page.getByRole('region', { name: 'Train in this tab' });
  await form.getByLabel('Epochs', { exact: true }).fill('8');
  await page.getByRole('button', { name: 'Train on WebGPU' }).click();

  // While it trains, the plot takes new points in place: the same canvas element, more samples.
  const loss = page.getByTestId('loss-chart');
  const plot = loss.getByRole('img', { name: /^Loss Training loss over \d+ samples/ });
  await expect(plot).toBeVisible({ timeout: 60_000 });
  const samples = async () => Number((await plot.getAttribute('aria-label'))!.match(/over (\d+) samples/)![1]);
  await expect.poll(samples, { timeout: 60_000 }).toBeGreaterThan(0);
  const before = await samples();
  await loss.locator('.metric-plot canvas').evaluate((c) => c.setAttribute('data-e2e-tag', 'first'));
  const run = page.getByTestId('local-run');
  await expect(run).toHaveAttribute('data-status', 'completed', { timeout: 120_000 });
  expect(await samples()).toBeGreaterThan(before);
  await expect(loss.locator('.metric-plot canvas')).toHaveCount(1);
  await expect(loss.locator('.metric-plot canvas')).toHaveAttribute('data-e2e-tag', 'first');
  expect((await ink(loss)).painted).toBeGreaterThan(500);

  // Nothing wider than its panel, however the dock is sized.
  const fits = async (chart: Locator) => {
    const figure = (await chart.boundingBox())!;
    const canvas = (await chart.locator('.metric-plot canvas').boundingBox())!;
    return canvas.x >= figure.x - 1 && canvas.x + canvas.width <= figure.x + figure.width + 1;
  };
  expect(await fits(loss)).toBe(true);

  // Hover: the legend reads out the step and each series' value there; elsewhere, other values.
  // Before any pointer, the latest values.
  const latest = await readout(loss);
  expect(latest.values[0]).toMatch(NUMBER);
  await hover(page, loss, 0.2);
  const early = await readout(loss);
  expect(early.xLabel).toBe('step');
  expect(early.x).toMatch(/^\d+$/);
  expect(early.values[0]).toMatch(NUMBER);
  expect(early.values[1]).toMatch(NUMBER); // validation loss: the nearest epoch's value
  await hover(page, loss, 0.95);
  const late = await readout(loss);
  expect(Number(late.x)).toBeGreaterThan(Number(early.x));
  expect(late.values[0]).toMatch(NUMBER);
  expect(late.values[0]).not.toBe(early.values[0]);
  await page.screenshot({ path: `${SHOTS}charts-light.png` });

  // Log scale: redrawn (other pixels), read-out still numbers.
  const linearInk = await ink(loss);
  await loss.getByLabel('Scale').selectOption('log');
  await expect(loss).toHaveAttribute('data-scale', 'log');
  await expect.poll(async () => (await ink(loss)).sum).not.toBe(linearInk.sum);
  await page.screenshot({ path: `${SHOTS}charts-log.png` });
  await hover(page, loss, 0.5);
  expect((await readout(loss)).values[0]).toMatch(NUMBER);

  // Epochs on the x axis: the axis (and legend, and table) says epoch, values run 0..8.
  await loss.getByLabel('X axis').selectOption('epoch');
  await expect(loss).toHaveAttribute('data-x-unit', 'epoch');
  await hover(page, loss, 0.95);
  const inEpochs = await readout(loss);
  expect(inEpochs.xLabel).toBe('epoch');
  expect(Number(inEpochs.x)).toBeGreaterThan(6);
  expect(Number(inEpochs.x)).toBeLessThanOrEqual(8);
  await loss.getByRole('button', { name: 'Show data table' }).click();
  await expect(loss.locator('thead th').first()).toHaveText('epoch');
  await expect(loss.locator('tbody tr').last().locator('th')).toHaveText('8');
  await expect(loss.locator('tbody td').first()).not.toHaveText('—');
  await loss.getByRole('button', { name: 'Hide data table' }).click();

  // Smoothing: the read-out gives the smoothed value and the measured one beside it.
  await loss.getByLabel('Smoothing').fill('0.9');
  await expect(loss).toHaveAttribute('data-smoothing', '0.9');
  await hover(page, loss, 0.6);
  const smoothed = await readout(loss);
  expect(smoothed.values[0]).toMatch(/^\d+(\.\d+)? \(raw \d+(\.\d+)?\)$/);
  const [s, raw] = smoothed.values[0]!.match(/[\d.]+/g)!.map(Number);
  expect(s).not.toBe(raw);

  // The accuracy chart is its own: still on steps and linear.
  const accuracy = page.getByTestId('accuracy-chart');
  await expect(accuracy).toHaveAttribute('data-x-unit', 'step');
  await expect(accuracy).toHaveAttribute('data-scale', 'linear');

  // Another window width: the panels re-flow and each plot takes its container's new width.
  const canvasWidth = async (chart: Locator) => Math.round((await chart.locator('.metric-plot canvas').boundingBox())!.width);
  const plotWidth = async (chart: Locator) => Math.floor(await chart.locator('.metric-plot').evaluate((el) => el.clientWidth));
  const wide = await canvasWidth(loss);
  expect(Math.abs(wide - (await plotWidth(loss)))).toBeLessThanOrEqual(1);
  await page.setViewportSize({ width: 900, height: 800 });
  await expect.poll(async () => Math.abs((await canvasWidth(loss)) - (await plotWidth(loss)))).toBeLessThanOrEqual(1);
  await expect.poll(async () => Math.abs((await canvasWidth(accuracy)) - (await plotWidth(accuracy)))).toBeLessThanOrEqual(1);
  expect(await canvasWidth(loss)).not.toBe(wide);
  expect(await fits(loss)).toBe(true);
  expect(await fits(accuracy)).toBe(true);
  expect(await page.evaluate(() => document.scrollingElement!.scrollWidth <= window.innerWidth + 1)).toBe(true);
  await page.setViewportSize({ width: 1280, height: 800 });

  // Dark theme: the plots redraw with the dark palette (axes, grid, series); no light chart panel.
  const lightInk = await ink(accuracy);
  await page.getByTestId('theme-switch').selectOption('dark');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect.poll(async () => (await ink(accuracy)).sum).not.toBe(lightInk.sum);
  const background = await accuracy.evaluate((el) => {
    for (let e: Element | null = el; e; e = e.parentElement) {
      const c = getComputedStyle(e).backgroundColor;
      if (c !== 'rgba(0, 0, 0, 0)' && c !== 'transparent') return c;
    }
    return 'none';
  });
  const [r, g, b] = background.match(/\d+/g)!.map(Number);
  expect(r! + g! + b!).toBeLessThan(3 * 80);
  const legendColor = await accuracy.locator('.metric-legend .metric-readout-value').first().evaluate((el) => getComputedStyle(el).color);
  const [lr, lg, lb] = legendColor.match(/\d+/g)!.map(Number);
  expect(lr! + lg! + lb!).toBeGreaterThan(3 * 150);
  await hover(page, accuracy, 0.5);
  await page.screenshot({ path: `${SHOTS}charts-dark.png` });
  await page.getByTestId('theme-switch').selectOption('system');

  // Saved runs compared: one line per run in one chart, each named in the legend.
  await page.getByLabel('Run name').fill('first');
  await page.getByRole('button', { name: 'Save run' }).click();
  await expect(page.getByRole('button', { name: 'Saved' })).toBeVisible();
  await form.getByLabel('Epochs', { exact: true }).fill('3');
  await page.getByRole('button', { name: 'Train on WebGPU' }).click();
  await expect(run).toHaveAttribute('data-status', 'completed', { timeout: 90_000 });
  await page.getByLabel('Run name').fill('second');
  await page.getByRole('button', { name: 'Save run' }).click();
  await expect(page.getByRole('button', { name: 'Saved' })).toBeVisible();
  await dockTab(page, 'Runs');
  await expect(page.getByTestId('saved-run')).toHaveCount(2);
  for (const box of await page.getByRole('checkbox', { name: /Compare/ }).all()) await box.check();
  const compare = page.getByTestId('compare-loss');
  await expect(compare.getByRole('img', { name: /^Validation loss by run .*first/ })).toBeVisible();
  await expect(compare.locator('.metric-legend .metric-readout-label')).toHaveText(['epoch', 'second', 'first']);
  await expect(compare).toHaveAttribute('data-x-unit', 'epoch');
  // Past the shorter run's last epoch, its value is its nearest (last) one; the longer run's goes on.
  await hover(page, compare, 0.98);
  const both = await readout(compare);
  expect(Number(both.x)).toBe(8);
  expect(both.values.every((v) => NUMBER.test(v))).toBe(true);
  await compare.getByRole('button', { name: 'Show data table' }).click();
  await expect(compare.locator('tbody tr')).toHaveCount(8);
  await expect(compare.locator('tbody tr').nth(5).locator('td').first()).toHaveText('—');
  await expect(page.getByTestId('compare-train-loss')).toBeVisible();
  // A run's name in the read-out switches its line off and on.
  const compareInk = await ink(compare);
  await compare.getByRole('button', { name: 'first' }).click();
  await expect(compare.getByRole('button', { name: 'first' })).toHaveAttribute('aria-pressed', 'false');
  await expect.poll(async () => (await ink(compare)).painted).toBeLessThan(compareInk.painted);
  await compare.getByRole('button', { name: 'first' }).click();
  await expect(compare.getByRole('button', { name: 'first' })).toHaveAttribute('aria-pressed', 'true');
  await page.screenshot({ path: `${SHOTS}charts-compare.png` });

  // A zoom (a drag across the plot) stays put while a run's new points arrive; a double-click lets go.
  await dockTab(page, 'Train');
  await form.getByLabel('Epochs', { exact: true }).fill('400');
  await page.getByRole('button', { name: 'Train on WebGPU' }).click();
  await expect(run).toHaveAttribute('data-status', 'running', { timeout: 30_000 });
  await expect.poll(samples, { timeout: 60_000 }).toBeGreaterThan(20);
  await loss.locator('.u-over').scrollIntoViewIfNeeded();
  await hover(page, loss, 0.02);
  const unzoomedStart = Number((await readout(loss)).x);
  const over = (await loss.locator('.u-over').boundingBox())!;
  await page.mouse.move(over.x + over.width * 0.1, over.y + over.height / 2);
  await page.mouse.down();
  await page.mouse.move(over.x + over.width * 0.5, over.y + over.height / 2, { steps: 5 });
  await page.mouse.up();
  // The window is the drag's: it starts a tenth of the way in, where the whole run's started at step 0
  // (measured at its left edge: the run keeps growing, so its right edge says nothing).
  await hover(page, loss, 0.02);
  expect(Number((await readout(loss)).x)).toBeGreaterThan(unzoomedStart + 10);
  await hover(page, loss, 0.95);
  const zoomedEnd = Number((await readout(loss)).x);
  const whole = await samples();
  await expect.poll(samples, { timeout: 60_000 }).toBeGreaterThan(whole + 10);
  await hover(page, loss, 0.95);
  expect(Number((await readout(loss)).x)).toBe(zoomedEnd);
  await loss.locator('.u-over').dblclick({ position: { x: over.width / 2, y: over.height / 2 } });
  await hover(page, loss, 0.95);
  expect(Number((await readout(loss)).x)).toBeGreaterThan(zoomedEnd);
  await page.getByRole('button', { name: 'Stop', exact: true }).click();
});
