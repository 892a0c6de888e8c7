// The dashboard in headless Chromium against the whole daemon (src/main.ts) trading live on the local fake venue,
// with local AI providers and the local Telegram Bot API. One daemon for the file; the stories run in order.
import { mkdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openBrowser, logIn, SCREENSHOT_DIR, type Browser } from './chromium.js';
import { loadConfig } from '../../src/config/load-config.js';
import { decryptSecret } from '../../src/config/secrets.js';
import { TEST_API_KEY, TEST_SECRET } from '../peers/binance-usdm/index.js';
import { DashboardWorld, OWNER_PASSWORD, TELEGRAM_CHAT, TELEGRAM_TOKEN, VIEWER_PASSWORD } from './dashboard-world.js';

let world: DashboardWorld;
let browser: Browser;

async function screenshot(name: string): Promise<void> {
  await browser.page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: true });
}

/** A request from inside the page (its cookies, its origin), as a script on it would send it. */
async function fetchInPage(path: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<{ status: number; body: string }> {
  return browser.page.evaluate(
    async ({ path, init }) => {
      const response = await fetch(path, { credentials: 'same-origin', ...init });
      return { status: response.status, body: await response.text() };
    },
    { path, init },
  );
}

beforeAll(async () => {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  // A take-profit far away (a 13% move, inside the 15% the risk manager allows for the minimum profit): the test moves
  // the price by about 1% and must keep the position open while it watches.
  world = await DashboardWorld.start({ env: { MIN_PROFIT_USD: '300', AI_MONTHLY_BUDGET_USD: '5' } });
  browser = await openBrowser();
});

afterAll(async () => {
  await browser?.close();
  expect(await world?.close()).toBe(0);
});

describe('the dashboard in Chromium, on the daemon trading live on the local venue', () => {
  it('when the owner logs in, then the open position shows, and its liquidation meter follows the venue price', async () => {
    const { page } = browser;
    await logIn(page, world.origin, OWNER_PASSWORD);

    await page.locator('[data-testid=position]').waitFor({ timeout: 60_000 });
    await page.locator('[data-testid=meter-price]', { hasText: '100,000.00' }).waitFor();
    const before = Number(await page.locator('[data-testid=liquidation-meter]').getAttribute('data-position'));
    world.venue.setPrice('BTCUSDT', 101_234.5);

    await page.locator('[data-testid=meter-price]', { hasText: '101,234.50' }).waitFor({ timeout: 15_000 });
    const after = Number(await page.locator('[data-testid=liquidation-meter]').getAttribute('data-position'));
    expect(after).toBeGreaterThan(before);
    expect(await page.locator('[data-testid=level-stop]').innerText()).toMatch(/94,000\.00/);
    expect(await page.locator('[data-testid=position-pnl]').innerText()).toMatch(/^\+\$/);
    // The monthly AI cap beside the month's spend (the technical analysts here cost nothing).
    expect(await page.locator('[data-testid=ai-budget]').innerText()).toBe('budget $5.00: $5.00 left');
    await screenshot('overview');
  });

  it('when the owner pauses from the page, then the breaker shows and Telegram announces who paused', async () => {
    const { page } = browser;

    await page.click('[data-testid=pause]');

    await page.locator('[data-testid=breakers]', { hasText: 'manual pause' }).waitFor();
    await world.telegram.waitFor(
      (api) => api.sent.some((message) => message.visible.includes('New entries paused') && message.visible.includes('web:owner')),
      'the pause announced on Telegram',
      15_000,
    );
    await page.locator('[data-testid=resume]').waitFor();
  });

  it('when a POST comes without the CSRF token, or with a wrong one, then it is refused and nothing changes', async () => {
    const json = { 'content-type': 'application/json' };

    const missing = await fetchInPage('/api/control/resume', { method: 'POST', headers: json, body: '{}' });
    const wrong = await fetchInPage('/api/control/resume', { method: 'POST', headers: { ...json, 'x-csrf-token': 'not-the-token' }, body: '{}' });

    expect(missing.status).toBe(403);
    expect(missing.body).toMatch(/CSRF/);
    expect(wrong.status).toBe(403);
    const status = JSON.parse((await fetchInPage('/api/status')).body) as { entriesPaused: boolean };
    expect(status.entriesPaused).toBe(true);
  });

  it('when the read-only user logs in, then it sees the position but has no controls, and the API refuses its commands', async () => {
    const { page, context } = browser;
    await context.clearCookies();
    await logIn(page, world.origin, VIEWER_PASSWORD);

    await page.locator('[data-testid=position]').waitFor();
    expect(await page.locator('[data-testid=role]').innerText()).toBe('read-only');
    expect(await page.locator('[data-testid=resume]').count()).toBe(0);
    expect(await page.locator('[data-testid=close-position]').count()).toBe(0);
    const session = JSON.parse((await fetchInPage('/api/session')).body) as { csrfToken: string };
    const refused = await fetchInPage('/api/control/resume', {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-csrf-token': session.csrfToken },
      body: '{}',
    });
    expect(refused.status).toBe(403);
  });

  it('when the owner closes the position and confirms, then it is booked as a manual close and listed with its fills', async () => {
    const { page, context } = browser;
    await context.clearCookies();
    await logIn(page, world.origin, OWNER_PASSWORD);
    await page.locator('[data-testid=position]').waitFor();

    await page.click('[data-testid=close-position]');
    await page.locator('[data-testid=close-confirm]').waitFor();
    await page.click('[data-testid=close-yes]');

    await page.locator('[data-testid=no-positions]').waitFor({ timeout: 30_000 });
    await page.click('nav a[href="/trades"]');
    const row = page.locator('[data-testid=trades] tbody tr', { hasText: 'manual' });
    await row.waitFor();
    // Funding in words beside the fees paid, never a bare sign.
    expect(await row.locator('[data-testid=trade-funding]').innerText()).toMatch(/^\$\d+\.\d{4}( paid| received)?$/);
    await row.locator('[data-testid=trade-toggle]').click();
    await page.locator('[data-testid=trade-detail]').waitFor();
    await page.locator('[data-testid=trade-chart] canvas').first().waitFor();
    expect(await page.locator('[data-testid=trade-detail]').innerText()).toMatch(/Fills[\s\S]*buy[\s\S]*sell/);
    await screenshot('trades');
  });

  it('when the owner runs a backtest from the page, then its progress shows and its report opens with the summary', async () => {
    const { page } = browser;
    await page.click('nav a[href="/backtests"]');

    await page.click('[data-testid=run-backtest]');

    await page.locator('[data-testid=backtest-progress]').waitFor();
    await page.locator('[data-testid=backtest-note]', { hasText: 'finished' }).waitFor({ timeout: 90_000 });
    await page.locator('[data-testid=backtest-report]').waitFor();
    expect(await page.locator('[data-testid=backtest-report]').innerText()).toMatch(/trades · net/);
    expect(await page.locator('[data-testid=backtest-reports] tbody tr').first().innerText()).toMatch(/^bt-/);
    // From the keyboard too: the report's name is a button that closes and opens it.
    const toggle = page.locator('[data-testid=report-toggle]').first();
    await toggle.focus();
    await page.keyboard.press('Enter');
    expect(await toggle.getAttribute('aria-expanded')).toBe('false');
    await page.keyboard.press('Enter');
    expect(await toggle.getAttribute('aria-expanded')).toBe('true');
    await page.locator('[data-testid=backtest-report]').waitFor();
    await screenshot('backtests');
  });

  it('when the wizard is given an invalid leverage, then it refuses; corrected, it writes a configuration the daemon accepts, secrets encrypted', async () => {
    const { page } = browser;
    await page.click('nav a[href="/setup"]');
    await page.locator('[data-testid=setup]').waitFor();
    await page.click('[data-testid=mode-live]');
    await page.fill('[data-testid=acknowledgement]', 'I UNDERSTAND THE RISKS');
    await page.fill('[data-testid=api-key]', TEST_API_KEY);
    await page.fill('[data-testid=api-secret]', TEST_SECRET);
    await page.click('[data-testid=check-exchange]');
    await page.locator('[data-testid=exchange-check]', { hasText: 'may not withdraw' }).waitFor();
    await page.fill('[data-testid=telegram-token]', TELEGRAM_TOKEN);
    await page.fill('[data-testid=telegram-chat]', TELEGRAM_CHAT);
    await page.click('[data-testid=check-telegram]');
    await page.locator('[data-testid=telegram-check]', { hasText: 'test message sent' }).waitFor();
    await page.click('[data-testid=load-markets]');
    await page.selectOption('[data-testid=markets]', ['BTC/USDT:USDT', 'ETH/USDT:USDT']);

    await page.fill('[data-testid=limit-MAX_LEVERAGE]', '9');
    await page.click('[data-testid=save-setup]');

    await page.locator('[data-testid=setup-problems]', { hasText: 'MAX_LEVERAGE' }).waitFor();
    await expect(stat(world.configFile)).rejects.toThrow();
    expect(world.telegram.sent.some((message) => message.visible.includes('setup wizard'))).toBe(true);

    await page.fill('[data-testid=limit-MAX_LEVERAGE]', '3');
    await page.click('[data-testid=save-setup]');

    await page.locator('[data-testid=setup-saved]').waitFor();
    await screenshot('setup');
    const text = await readFile(world.configFile, 'utf8');
    expect(text).toMatch(/^MAX_LEVERAGE=3$/m);
    expect(text).toMatch(/^USE_PAPER_TRADING=false$/m);
    expect(text).toMatch(/^LIVE_TRADING_ACKNOWLEDGED='I UNDERSTAND THE RISKS'$/m);
    expect(text).toMatch(/^BINANCE_SECRET_KEY=enc:v1:/m);
    expect(text).toMatch(/^TELEGRAM_BOT_TOKEN=enc:v1:/m);
    for (const secret of [TEST_SECRET, TEST_API_KEY, TELEGRAM_TOKEN]) expect(text).not.toContain(secret);
    expect((await stat(world.configFile)).mode & 0o777).toBe(0o600);
    const config = loadConfig({ env: {}, dotenvPath: world.configFile, decryptSecret });
    expect(config.risk.maxLeverage).toBe(3);
    expect(config.symbols).toEqual(['BTC/USDT:USDT', 'ETH/USDT:USDT']);
    expect(config.exchange.secret).toBe(TEST_SECRET);
    expect(config.telegram?.botToken).toBe(TELEGRAM_TOKEN);
  });

  it('when every page and every API answer is read, then none contains a secret value', async () => {
    const { page } = browser;
    const seen: { where: string; text: string }[] = [];
    for (const [path, name] of [['/', 'overview-flat'], ['/decisions', 'decisions'], ['/models', 'models'], ['/log', 'log'], ['/config', 'config'], ['/setup', 'setup-saved']] as const) {
      await page.click(`nav a[href="${path}"]`);
      await page.waitForLoadState('networkidle');
      await screenshot(name);
      seen.push({ where: `page ${path}`, text: await page.content() });
    }
    const document = JSON.parse((await fetchInPage('/api/openapi.json')).body) as { paths: Record<string, Record<string, unknown>> };
    const trades = JSON.parse((await fetchInPage('/api/trades')).body) as { trades: { positionId: string }[] };
    const backtests = JSON.parse((await fetchInPage('/api/backtests')).body) as { reports: { id: string }[] };
    const reports = JSON.parse((await fetchInPage('/api/reports')).body) as { reports: { name: string }[] };
    const ids: Record<string, string | undefined> = { trades: trades.trades[0]?.positionId, backtests: backtests.reports[0]?.id, reports: reports.reports[0]?.name };
    const reads = Object.entries(document.paths)
      .filter(([path, methods]) => 'get' in methods && path !== '/api/events')
      .map(([path]) => path.replace(/\{(id|name)\}/, ids[path.split('/')[2] ?? ''] ?? 'none'));
    expect(reads.filter((path) => path.includes('none'))).toEqual([]);
    for (const path of reads) {
      const answer = await fetchInPage(path);
      expect(answer.status, path).toBe(200);
      seen.push({ where: path, text: answer.body });
    }
    seen.push(...browser.bodies.map((entry) => ({ where: entry.url, text: entry.body })));

    expect(reads.length).toBeGreaterThan(12);
    for (const secret of world.secrets) {
      const leaks = seen.filter((entry) => entry.text.includes(secret)).map((entry) => entry.where);
      expect(leaks, `a secret (${secret.slice(0, 3)}…) appears in`).toEqual([]);
    }
  });

  it('when a wrong password is tried again and again, then logins are refused for a while, the right one too', async () => {
    const { page, context } = browser;
    await context.clearCookies();
    await page.goto(world.origin);
    const attempt = async (password: string) => {
      await page.fill('[data-testid=password]', password);
      await page.click('[data-testid=login]');
      return page.locator('[data-testid=login-error]').innerText();
    };

    const answers: string[] = [];
    for (let n = 0; n < 5; n++) {
      answers.push(await attempt(`wrong-${n}`));
      await page.locator('[data-testid=login-error]', { hasText: 'wrong password' }).waitFor();
    }
    await page.fill('[data-testid=password]', OWNER_PASSWORD);
    await page.click('[data-testid=login]');

    await page.locator('[data-testid=login-error]', { hasText: 'too many failed logins' }).waitFor();
    expect(answers.every((text) => text.includes('wrong password'))).toBe(true);
    expect(await page.locator('[data-testid=role]').count()).toBe(0);
    await screenshot('login-refused');
  });
});
