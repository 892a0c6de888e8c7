// The backtest's HTML report in headless Chromium: written from a short replay of the bundled history, it opens from
// a file with no network, shows the comparison and its three plots drawn, and logs no error.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledHistoryDir } from '../../src/adapters/market-data/replay/index.js';
import { renderHtmlReport } from '../../src/cli/backtest-html.js';
import { buildReport } from '../../src/cli/backtest-report.js';
import { runReplay } from '../../src/cli/replay-runner.js';
import { loadConfig } from '../../src/config/load-config.js';
import { InMemoryStore } from '../../src/testing/in-memory-store.js';
import { RecordingLogger } from '../../src/testing/silent-logger.js';
import { openBrowser, SCREENSHOT_DIR, type Browser } from './chromium.js';

const config = loadConfig({ env: {} });
let folder: string;
let file: string;
let browser: Browser;

beforeAll(async () => {
  const result = await runReplay({
    historyDir: bundledHistoryDir(),
    config,
    store: new InMemoryStore(),
    logger: new RecordingLogger(),
    symbols: ['BTC/USDT:USDT', 'SOL/USDT:USDT'],
    from: new Date('2025-09-25T00:00:00Z'),
    to: new Date('2025-10-05T00:00:00Z'),
  });
  const report = buildReport(result, config.initialCapital, 0);
  folder = await mkdtemp(join(tmpdir(), 'backtest-report-'));
  file = join(folder, 'backtest.html');
  await writeFile(file, await renderHtmlReport({ report, prices: result.prices }));
  browser = await openBrowser();
});

afterAll(async () => {
  await browser?.close();
  await rm(folder, { recursive: true, force: true });
});

describe('the HTML backtest report', () => {
  it('opens offline and renders the comparison, the statistics and the three plots with no console error', async () => {
    const { page } = browser;
    const consoleErrors: string[] = [];
    const requests: string[] = [];
    page.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    page.on('request', (request) => {
      if (!request.url().startsWith('file:')) requests.push(request.url());
    });

    await page.goto(pathToFileURL(file).href);
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'backtest-report.png'), fullPage: true });

    const rows = await page.locator('[data-testid=comparison] tbody tr th').allTextContents();
    expect(rows).toEqual(['strategy', 'hold BTC', 'hold SOL', 'equal-weight basket', 'flat']);
    expect(await page.locator('[data-testid=trade-facts] dt').allTextContents()).toEqual(
      expect.arrayContaining(['win rate', 'profit factor', 'average win', 'average loss', 'exposure', 'fees paid', 'funding']),
    );
    expect(await page.locator('[data-testid=bootstrap]').textContent()).toMatch(/seed 1|no trades to resample|too few for an interval/);
    expect(await page.locator('[data-testid=monthly] tbody tr').count()).toBe(2);
    // The rules a trader reads before trusting a figure: labelled, not a JSON dump, a line for each market's data.
    const rules = page.locator('[data-testid=replay-rules]');
    expect((await rules.locator('dt').allTextContents()).filter(Boolean)).toEqual(['price seen', 'mark price', 'triggers', 'fills', 'funding', 'margin', 'data']);
    expect(await rules.locator('dd').allTextContents()).toEqual(expect.arrayContaining([expect.stringMatching(/^BTC: /), expect.stringMatching(/^SOL: /)]));
    expect(await page.locator('pre').count()).toBe(0);
    for (const chart of ['equity-chart', 'trades-chart', 'pnl-chart']) {
      const svg = page.locator(`[data-testid=${chart}] svg`);
      await expect(svg.count(), chart).resolves.toBe(1);
      const box = await svg.boundingBox();
      expect(box?.width, chart).toBeGreaterThan(300);
      expect(box?.height, chart).toBeGreaterThan(100);
      // Drawn marks, not an empty frame: lines or areas (paths) and, for the trades, points.
      expect(await svg.locator('path').count(), chart).toBeGreaterThan(3);
    }
    expect(await page.locator('[data-testid=equity-chart] svg text', { hasText: 'hold SOL' }).count()).toBe(1);
    expect(consoleErrors).toEqual([]);
    expect(requests).toEqual([]);
  });
});
