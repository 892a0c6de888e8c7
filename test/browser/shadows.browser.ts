// The shadow leaderboard page in headless Chromium, against the whole daemon trading live on the local venue with
// one paper variant beside it.
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { logIn, openBrowser, SCREENSHOT_DIR, type Browser } from './chromium.js';
import { DashboardWorld, OWNER_PASSWORD } from './dashboard-world.js';

let world: DashboardWorld;
let browser: Browser;

beforeAll(async () => {
  await mkdir(SCREENSHOT_DIR, { recursive: true });
  world = await DashboardWorld.start({
    env: { SHADOW_STRATEGIES: JSON.stringify([{ name: 'half', settings: { POSITION_SIZE_PERCENT: 0.4 } }]) },
    startLimitMs: 120_000,
  });
  browser = await openBrowser();
});

afterAll(async () => {
  await browser?.close();
  expect(await world?.close()).toBe(0);
});

describe('the shadow leaderboard in Chromium', () => {
  it('when a variant trades in paper beside the live account, then the page lists both with their figures and no verdict before the evidence', async () => {
    const { page } = browser;
    await logIn(page, world.origin, OWNER_PASSWORD);
    // Both accounts open a position on the first scan; the page is reloaded until the leaderboard shows them.
    await page.click('nav a[href="/shadows"]');
    await page.locator('[data-testid=shadows]').waitFor();
    const deadline = performance.now() + 90_000;
    const openCells = async () => page.locator('[data-testid=shadows] tbody tr td:nth-child(8)').allInnerTexts();
    while ((await openCells()).join(',') !== '1,1') {
      if (performance.now() > deadline) throw new Error(`the leaderboard never showed both positions open: ${(await openCells()).join(',')}`);
      await page.waitForTimeout(2_000);
      await page.reload();
      await page.locator('[data-testid=shadows]').waitFor();
    }

    const rows = page.locator('[data-testid=shadows] tbody tr');
    expect(await rows.count()).toBe(2);
    expect(await rows.nth(0).innerText()).toMatch(/^main/);
    const half = page.locator('[data-shadow=half]');
    expect(await half.innerText()).toContain('POSITION_SIZE_PERCENT=0.4');
    expect(await half.locator('[data-testid=verdict]').innerText()).toBe('not enough evidence');
    expect(await half.innerText()).toContain('no closed trades yet');
    // Both started together and the variant runs: no second main figure, no warning.
    expect(await half.locator('[data-testid=main-same-time]').count()).toBe(0);
    expect(await half.locator('[data-testid=shadow-problem]').count()).toBe(0);
    expect(await page.locator('section.panel p.muted').last().innerText()).toContain('Checks come at 20, 40, 80, 160 and 320 trades on each side');
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'shadows.png'), fullPage: true });
  });

  it('when a variant trades beside the live account, then the overview shows its own AI spend beside the account\'s, as the API reports them', async () => {
    const { page } = browser;
    interface Spend {
      today: number;
      monthToDate: number;
      projectedMonth: number;
    }
    type Costs = Spend & { shadows: (Spend & { name: string })[] };
    const costsNow = (): Promise<Costs> =>
      page.evaluate(async () => (await (await fetch('/api/costs', { credentials: 'same-origin' })).json()) as Costs);
    const money = (value: number): string => (value > 0 && value < 0.01 ? `$${value.toFixed(4)}` : `$${value.toFixed(2)}`);
    await page.click('nav a[href="/"]');

    // The daemon keeps scanning, and a projection moves with the clock: the page is compared with API reads taken
    // just before and after it loaded, whose spend so far agrees, and its projections must lie between theirs.
    const spent = (costs: Costs): string => JSON.stringify([costs.today, costs.monthToDate, ...costs.shadows.map((shadow) => [shadow.name, shadow.today, shadow.monthToDate])]);
    let shown: string[][] = [];
    let reads: [Costs, Costs] | undefined;
    for (let attempt = 0; attempt < 5 && reads === undefined; attempt++) {
      const before = await costsNow();
      await page.reload();
      await page.locator('[data-testid=ai-spend] tbody tr').nth(2).waitFor();
      shown = await page.locator('[data-testid=ai-spend] tbody tr').evaluateAll((rows) => rows.map((row) => [...row.querySelectorAll('td')].map((cell) => cell.textContent ?? '')));
      const after = await costsNow();
      if (spent(after) === spent(before)) reads = [before, after];
    }
    if (!reads) throw new Error('the AI spend changed between every pair of reads');

    const [before, after] = reads;
    const halves = reads.map((costs) => costs.shadows.find((shadow) => shadow.name === 'half'));
    const [half, halfAfter] = halves;
    if (!half || !halfAfter) throw new Error(`no shadow named half in ${JSON.stringify(before.shadows)}`);
    const total = (costs: Costs): Spend => {
      const sum = (key: keyof Spend): number => costs[key] + costs.shadows.reduce((all, shadow) => all + shadow[key], 0);
      return { today: sum('today'), monthToDate: sum('monthToDate'), projectedMonth: sum('projectedMonth') };
    };
    // The two accounts ask the providers the same questions: the main account pays for the answers it uses, the shadow
    // only for calls of its own.
    expect(total(before).monthToDate).toBeGreaterThan(0);
    const expected: [string, Spend, Spend][] = [
      ['this account', before, after],
      ['shadow half', half, halfAfter],
      ['all together', total(before), total(after)],
    ];
    expect(shown.map((row) => row.slice(0, 3))).toEqual(expected.map(([name, figures]) => [name, money(figures.today), money(figures.monthToDate)]));
    expected.forEach(([name, early, late], index) => {
      const text = shown[index]?.[3] ?? '';
      const value = Number(text.replace(/[$,]/g, ''));
      const shownUnit = text.includes('.') ? 10 ** -(text.split('.')[1]?.length ?? 0) : 1;
      const [low, high] = [Math.min(early.projectedMonth, late.projectedMonth), Math.max(early.projectedMonth, late.projectedMonth)];
      expect(value, `${name}: projected ${text}`).toBeGreaterThanOrEqual(low - shownUnit / 2);
      expect(value, `${name}: projected ${text}`).toBeLessThanOrEqual(high + shownUnit / 2);
    });
    await page.screenshot({ path: join(SCREENSHOT_DIR, 'overview-ai-spend.png'), fullPage: true });
  });
});
