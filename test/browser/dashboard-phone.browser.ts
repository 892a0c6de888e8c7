// The dashboard on a phone (390 x 844) in headless Chromium against the whole daemon trading live on the local venue:
// what it says when the connection drops or the session ends, the equity figure it plots, and pages that fit the
// screen. One daemon for the file; the stories run in order.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, logIn, SCREENSHOT_DIR, type Browser } from './chromium.js';
import { CuttableProxy } from './cuttable-proxy.js';
import { DashboardWorld, OWNER_PASSWORD } from './dashboard-world.js';

const PHONE = { width: 390, height: 844 };
const PAGES = ['/', '/trades', '/decisions', '/models', '/shadows', '/backtests', '/log', '/config', '/setup'];

let world: DashboardWorld;
let browser: Browser;
/** The page is loaded through it, so the test can take the daemon away from the phone and give it back. */
let network: CuttableProxy;

async function screenshot(name: string): Promise<void> {
  await browser.page.screenshot({ path: join(SCREENSHOT_DIR, `phone-${name}.png`), fullPage: true });
}

async function readInPage<T>(path: string): Promise<T> {
  return browser.page.evaluate(async (path) => (await fetch(path, { credentials: 'same-origin' })).json() as Promise<T>, path);
}

interface Status {
  accountBalance: number;
  equity?: number;
  openPositions: number;
}
interface Positions {
  positions: { position: { quantity: number; entryPrice: number }; price?: number }[];
}

const latestEquity = () => browser.page.locator('[data-testid=equity-chart]').getAttribute('data-latest-equity');

/** How much wider than the window the page is: 0 when nothing makes the phone scroll sideways. */
const sidewaysOverflow = () => browser.page.evaluate<number>('document.scrollingElement.scrollWidth - window.innerWidth');

beforeAll(async () => {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  // A take-profit far away, so the position stays open while the price moves about 1%.
  world = await DashboardWorld.start({ env: { MIN_PROFIT_USD: '300' } });
  network = await CuttableProxy.start({ host: '127.0.0.1', port: world.port });
  browser = await openBrowser();
  await browser.page.setViewportSize(PHONE);
});

afterAll(async () => {
  await browser?.close();
  await network?.close();
  expect(await world?.close()).toBe(0);
});

describe('the dashboard on a phone, on the daemon trading live on the local venue', () => {
  it('when the phone loses the connection, then a banner says since when, the position greys, and a failed reload keeps the figures', async () => {
    const { page } = browser;
    await logIn(page, network.origin, OWNER_PASSWORD);
    await page.locator('[data-testid=position]').waitFor({ timeout: 60_000 });
    await page.locator('[data-testid=ranking]').waitFor();
    await page.locator('[data-testid=equity-chart]').waitFor();
    await page.locator('[data-testid=live-state]', { hasText: /^\s*live/ }).waitFor();

    network.sever();
    try {
      await page.locator('[data-testid=connection-lost]').waitFor({ timeout: 20_000 });
      await page.click('[data-testid=pause]');

      await page.locator('[data-testid=load-problem]', { hasText: 'Could not refresh the status' }).waitFor();
      expect(await page.locator('[data-testid=connection-lost]').innerText()).toMatch(/^Connection lost since \d\d:\d\d UTC: the figures below are not live/);
      expect(await page.locator('[data-testid=position]').getAttribute('data-stale')).toBe('true');
      expect(await page.locator('[data-testid=live-state]').innerText()).toMatch(/not live/);
      expect(await page.locator('[data-testid=load-problem]').first().innerText()).toMatch(/the daemon cannot be reached/i);
      expect(await page.locator('[data-testid=control-note]').innerText()).toMatch(/the daemon cannot be reached/i);
      expect(await page.locator('main').innerText()).not.toMatch(/TypeError|Failed to fetch|No equity recorded yet|No scan recorded yet/);
      // What was read before stays: the cards, the chart and the last scan.
      expect(await page.locator('[data-testid=mode]').count()).toBe(1);
      expect(await page.locator('[data-testid=equity-chart]').count()).toBe(1);
      expect(await page.locator('[data-testid=ranking]').count()).toBe(1);
      await screenshot('connection-lost');
    } finally {
      network.restore();
    }
    await page.locator('[data-testid=connection-lost]').waitFor({ state: 'detached', timeout: 20_000 });
    await page.locator('[data-testid=position]:not([data-stale])').waitFor();
  });

  it('when the price moves, then the equity chart ends on the balance plus the open P&L, read together', async () => {
    const { page } = browser;

    world.venue.setPrice('BTCUSDT', 101_000);
    await page.locator('[data-testid=meter-price]', { hasText: '101,000.00' }).waitFor({ timeout: 15_000 });

    const status = await readInPage<Status>('/api/status');
    const [open] = (await readInPage<Positions>('/api/positions')).positions;
    expect(open?.price).toBe(101_000);
    const expected = status.accountBalance + (101_000 - (open?.position.entryPrice ?? 0)) * (open?.position.quantity ?? 0);
    await expect.poll(latestEquity, { timeout: 15_000 }).toBe(expected.toFixed(2));
  });

  it('when a proxy in front gives up waiting for a close (504), then the page says the close may be under way, not that it was refused', async () => {
    const { page } = browser;
    // The proxy's answer, as nginx gives it after its 60 s: the daemon never saw this request.
    await page.route('**/api/positions/*/close', (route) => route.fulfill({ status: 504, contentType: 'text/html', body: '<html>504 Gateway Time-out</html>' }));
    try {
      await page.click('[data-testid=close-position]');
      await page.click('[data-testid=close-yes]');
      const note = page.locator('.close-position .note', { hasText: 'no answer in time' });
      await note.waitFor();

      expect(await note.innerText()).toMatch(/^no answer in time: the close may still be under way.*reload the page to see why or to close it again$/);
      expect(await page.locator('.close-position').innerText()).not.toMatch(/refused/);
      expect(await page.locator('[data-testid=position]').count()).toBe(1);
      // Not offered again while it may be under way: a second click would queue a second close behind the first.
      expect(await page.locator('[data-testid=close-position]').count()).toBe(0);
    } finally {
      await page.unroute('**/api/positions/*/close');
    }
  });

  it('when the daemon closes the position at its stop, then the chart ends on the balance: the loss is counted once', async () => {
    const { page } = browser;

    world.venue.setPrice('BTCUSDT', 93_000);
    await page.locator('[data-testid=no-positions]').waitFor({ timeout: 30_000 });

    const status = await readInPage<Status>('/api/status');
    expect(status.openPositions).toBe(0);
    expect(status.equity).toBe(status.accountBalance);
    await expect.poll(latestEquity, { timeout: 15_000 }).toBe(status.accountBalance.toFixed(2));
  });

  it("when a trade's details are opened from the keyboard, then its button says it is expanded; the filters have names", async () => {
    const { page } = browser;
    await page.click('nav a[href="/trades"]');
    const toggle = page.getByRole('button', { name: /UTC$/ }).first();
    await toggle.waitFor();
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');

    await toggle.focus();
    await page.keyboard.press('Enter');

    await page.locator('[data-testid=trade-detail]').waitFor();
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    for (const name of ['market', 'side', 'result', 'closed from', 'closed until']) expect(await page.getByLabel(name, { exact: true }).count(), name).toBe(1);
  });

  it('when every page is shown at 390 px, then none scrolls sideways', async () => {
    const { page } = browser;
    const overflow: Record<string, number> = {};
    for (const path of PAGES) {
      await page.goto(`${network.origin}${path}`);
      await page.waitForSelector('[data-testid=role]');
      await page.waitForLoadState('networkidle');
      overflow[path] = await sidewaysOverflow();
      await screenshot(path === '/' ? 'overview' : path.slice(1));
    }

    expect(overflow).toEqual(Object.fromEntries(PAGES.map((path) => [path, 0])));
  });

  it('when the session ends, then the page says so and offers to log in again', async () => {
    const { page } = browser;
    await page.goto(network.origin);
    await page.locator('[data-testid=live-state]', { hasText: /^\s*live/ }).waitFor();

    // Logged out elsewhere: the stream is ended, and its reconnection is refused with a 401.
    await page.evaluate(async () => {
      const session = (await (await fetch('/api/session', { credentials: 'same-origin' })).json()) as { csrfToken: string };
      await fetch('/api/logout', { method: 'POST', credentials: 'same-origin', headers: { 'content-type': 'application/json', 'x-csrf-token': session.csrfToken }, body: '{}' });
    });

    await page.locator('[data-testid=session-ended]').waitFor({ timeout: 20_000 });
    expect(await page.locator('[data-testid=session-ended]').first().innerText()).toMatch(/session has ended/);
    await page.locator('[data-testid=log-in-again]').first().click();
    await page.locator('[data-testid=password]').waitFor();
  });
});
