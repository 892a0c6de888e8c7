// The HTML backtest reports on the dashboard in headless Chromium: the backtests page lists the report that
// `npm run backtest` wrote into the reports folder, its link opens it in a new tab, and there it renders in its
// sandbox (comparison and plots drawn, no console error, no blocked resource) with the dashboard's session out of reach.
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundledHistoryDir } from '../../src/adapters/market-data/replay/index.js';
import type { SqlStore } from '../../src/adapters/store/sql-store.js';
import { BacktestJobs, backtestRoutes, ReportFiles, reportRoutes } from '../../src/adapters/web/index.js';
import { renderHtmlReport } from '../../src/cli/backtest-html.js';
import { buildReport } from '../../src/cli/backtest-report.js';
import { WEB_BUILD_DIR } from '../../src/cli/compose-dashboard.js';
import { runReplay } from '../../src/cli/replay-runner.js';
import { loadConfig } from '../../src/config/load-config.js';
import { InMemoryStore } from '../../src/testing/in-memory-store.js';
import { RecordingLogger } from '../../src/testing/silent-logger.js';
import { OWNER, openTestStore, startApi, type ApiHarness } from '../integration/web/dashboard-harness.js';
import { logIn, openBrowser, SCREENSHOT_DIR, type Browser } from './chromium.js';

let folder: string;
let store: SqlStore;
let api: ApiHarness;
let browser: Browser;

beforeAll(async () => {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  const config = loadConfig({ env: {} });
  const result = await runReplay({
    historyDir: bundledHistoryDir(),
    config,
    store: new InMemoryStore(),
    logger: new RecordingLogger(),
    symbols: ['BTC/USDT:USDT', 'SOL/USDT:USDT'],
    from: new Date('2025-09-25T00:00:00Z'),
    to: new Date('2025-10-05T00:00:00Z'),
  });
  folder = await mkdtemp(join(tmpdir(), 'report-files-browser-'));
  const reports = join(folder, 'reports');
  await mkdir(reports);
  await writeFile(join(reports, 'backtest.html'), await renderHtmlReport({ report: buildReport(result, config.initialCapital, 0), prices: result.prices }));
  store = await openTestStore();
  const jobs = new BacktestJobs({ command: process.execPath, args: [], bundledData: bundledHistoryDir(), reportsDir: join(folder, 'jobs') }, { now: () => new Date(), sleep: async () => undefined });
  api = await startApi(store, { staticRoot: WEB_BUILD_DIR, extraRoutes: [...backtestRoutes(jobs), ...reportRoutes(new ReportFiles(reports))] });
  browser = await openBrowser();
});

afterAll(async () => {
  await browser?.close();
  await api?.close();
  await store?.close();
  await rm(folder, { recursive: true, force: true });
});

describe('HTML backtest reports on the dashboard, in Chromium', () => {
  it('when a report is in the reports folder, then the backtests page links it and it opens in a new tab, drawn, sandboxed, with no console error', async () => {
    const { page, context } = browser;
    await logIn(page, api.origin, OWNER);
    await page.click('nav a[href="/backtests"]');
    const link = page.locator('[data-testid=html-reports] a', { hasText: 'backtest.html' });
    await link.waitFor();
    expect(await link.getAttribute('href')).toBe('/api/reports/backtest.html');
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'report-files.png'), fullPage: true });

    const [report] = await Promise.all([context.waitForEvent('page'), link.click()]);
    const consoleErrors: string[] = [];
    report.on('console', (message) => {
      if (message.type() === 'error') consoleErrors.push(message.text());
    });
    await report.waitForLoadState('load');
    expect(report.url()).toBe(`${api.origin}/api/reports/backtest.html`);
    expect(await report.locator('[data-testid=comparison] tbody tr th').allTextContents()).toEqual(['strategy', 'hold BTC', 'hold SOL', 'equal-weight basket', 'flat']);
    for (const chart of ['equity-chart', 'trades-chart', 'pnl-chart']) {
      const box = await report.locator(`[data-testid=${chart}] svg`).boundingBox();
      expect(box?.width, chart).toBeGreaterThan(300);
    }
    // The sandbox gives the report an origin of its own: the dashboard's cookies are not its cookies.
    const cookieAccess = await report.evaluate(() => {
      try {
        return `read: ${(globalThis as unknown as { document: { cookie: string } }).document.cookie}`;
      } catch (error) {
        return (error as Error).name;
      }
    });
    expect(cookieAccess).toBe('SecurityError');
    await report.screenshot({ path: join(SCREENSHOT_DIR, 'report-file-opened.png'), fullPage: true });
    expect(consoleErrors).toEqual([]);
    await report.close();
  });
});
