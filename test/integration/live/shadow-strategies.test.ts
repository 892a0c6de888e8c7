// Shadow strategies beside a live account: the whole daemon (src/main.ts) trading live on the local Binance venue
// through real ccxt, two local AI providers that always see a long, the local Telegram Bot API, and two paper
// variants. The variants trade on the same scans, share AI answers where they ask the same question, never send an
// order to the venue, never message the owner as if they traded, and show up on /shadows.
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore } from '../../../src/adapters/store/open-store.js';
import { SHADOW_START_KEY } from '../../../src/engine/shadow-leaderboard.js';
import { RecordingLogger } from '../../../src/testing/silent-logger.js';
import { DashboardWorld, TELEGRAM_CHAT } from '../../browser/dashboard-world.js';

let world: DashboardWorld | undefined;

afterEach(async () => {
  await world?.close();
  world = undefined;
});

const SHADOWS = [
  // Same prompt as the main account (only the sizing differs): its answers come from the shared cache.
  { name: 'half', settings: { POSITION_SIZE_PERCENT: 0.4 } },
  // Asks for more confidence than the models give: its own prompt, its own calls, no trade.
  { name: 'picky', settings: { MIN_AI_CONFIDENCE: 0.9 } },
];

/** Sends /shadows and waits for the reply that satisfies `ready`, asking again while it does not. */
async function shadowsReply(current: DashboardWorld, ready: (text: string) => boolean, what: string): Promise<string> {
  const deadline = performance.now() + 90_000;
  for (;;) {
    const before = current.telegram.sent.length;
    current.telegram.pushMessage(Number(TELEGRAM_CHAT), '/shadows');
    await current.telegram.waitFor((api) => api.sent.slice(before).some((m) => m.visible.includes('Shadow strategies')), 'a /shadows reply', 30_000);
    const reply = current.telegram.sent.slice(before).find((m) => m.visible.includes('Shadow strategies'))?.visible ?? '';
    if (ready(reply)) return reply;
    if (performance.now() > deadline) throw new Error(`/shadows never showed ${what}; last reply:\n${reply}`);
    // The daemon's loop is what must move; the fake venue's clock runs with real time.
    await current.telegram.waitFor(() => false, 'nothing', 1_000).catch(() => undefined);
  }
}

describe('shadow strategies beside the live account', () => {
  it('when the variants run, then they trade in paper on the same scans, share answers, send no order, tell the owner nothing, and rank on /shadows', async () => {
    world = await DashboardWorld.start({ env: { SHADOW_STRATEGIES: JSON.stringify(SHADOWS), POSITION_CHECK_SECONDS: '5' }, startLimitMs: 120_000 });

    const opened = await shadowsReply(world, (text) => /main since .*1 open/.test(text) && /half since .*1 open/.test(text), 'both positions open');
    expect(opened).toContain('picky since');
    expect(opened).not.toMatch(/picky since .*open/);

    // The price falls through both 6% stops: the venue's stop closes the live position, the paper venue the shadow's.
    world.venue.setPrice('BTCUSDT', 92_000);
    world.venue.setMarkPrice('BTCUSDT', 92_000);
    const closed = await shadowsReply(world, (text) => /main since .*1 trade,/.test(text) && /half since .*1 trade,/.test(text), 'both trades closed');

    const loss = (name: string) => Number(new RegExp(`${name} since [^:]+: -\\$([\\d,.]+)`).exec(closed)?.[1]?.replace(/,/g, ''));
    expect(loss('main')).toBeGreaterThan(0);
    // Half the margin, about half the loss (fees and the fill price differ a little).
    expect(loss('half') / loss('main')).toBeGreaterThan(0.35);
    expect(loss('half') / loss('main')).toBeLessThan(0.65);
    expect(closed).toContain('POSITION_SIZE_PERCENT=0.4');
    expect(closed).toContain('not enough evidence yet');
    expect(closed).toContain('1 trade on the smaller side; first check at 20 on each');
    expect(closed).toContain('Checks come at 20, 40, 80, 160 and 320 trades on each side');

    // Only the main account ever sent an order: one entry and its stop, whatever the shadows did.
    const entries = world.venue.requestsTo('/fapi/v1/order', 'POST').filter((r) => r.params['type'] === 'MARKET' || r.params['type'] === 'LIMIT');
    expect(entries).toHaveLength(1);
    // The owner hears of the live trade, not of the shadow's.
    expect(world.telegram.sent.filter((m) => / opened · /.test(m.visible))).toHaveLength(1);

    // /cost: the account's spend, and apart from it what each shadow's own calls cost.
    const beforeCost = world.telegram.sent.length;
    world.telegram.pushMessage(Number(TELEGRAM_CHAT), '/cost');
    await world.telegram.waitFor((api) => api.sent.slice(beforeCost).some((m) => m.visible.includes('AI spend')), 'a /cost reply', 30_000);
    const cost = world.telegram.sent.slice(beforeCost).find((m) => m.visible.includes('AI spend'))?.visible ?? '';
    const shownMonth = (name: string) => Number(new RegExp(`${name}: today \\$[\\d,.]+ · month \\$([\\d,.]+)`).exec(cost)?.[1]?.replace(/,/g, ''));
    expect(cost).toContain('Shadow strategies');
    expect(shownMonth('picky')).toBeGreaterThan(0);
    expect(shownMonth('half')).toBeGreaterThanOrEqual(0);

    expect(await world.halt()).toBe(0);
    const logger = new RecordingLogger();
    const half = await openStore({ dataDir: join(world.dir, 'data', 'shadows', 'half'), logger });
    const picky = await openStore({ dataDir: join(world.dir, 'data', 'shadows', 'picky'), logger });
    try {
      // A shadow's records are its own and outlive the process: its trade, its start, its paper account.
      expect(await half.trades.count()).toBe(1);
      expect(await half.state.get(SHADOW_START_KEY)).toMatchObject({ at: expect.any(String) });
      expect((await half.paperAccount.load())?.balance).toBeLessThan(1_000);
      const halfAnswers = (await half.decisions.list({})).filter((d) => d.purpose === 'entry');
      const pickyAnswers = (await picky.decisions.list({})).filter((d) => d.purpose === 'entry');
      expect(halfAnswers.length).toBeGreaterThan(0);
      // The main account and 'half' ask the same question at the same moments: one provider call answers both,
      // whichever of them asked first (without sharing there would be two calls per question).
      const sharedPrompt = world.claude.requests.filter((r) => JSON.stringify(r.body).includes('confidence >= 0.6') && !JSON.stringify(r.body).includes('should_exit'));
      const halfClaudeQuestions = halfAnswers.filter((d) => d.analyst === 'claude');
      expect(sharedPrompt.length).toBeGreaterThan(0);
      expect(sharedPrompt.length).toBeLessThanOrEqual(halfClaudeQuestions.length);
      // Its own prompt: paid calls of its own, and it never traded on an 80% answer.
      expect(pickyAnswers.some((d) => !d.usage.cached && d.usage.costUsd > 0)).toBe(true);
      expect(await picky.trades.count()).toBe(0);
      // What /cost showed for 'picky' is its own store's spend (it may only have grown until the halt).
      const pickySpend = (await picky.decisions.list({})).reduce((total, d) => total + d.usage.costUsd, 0);
      expect(shownMonth('picky')).toBeLessThanOrEqual(Math.round(pickySpend * 100) / 100 + 0.005);
    } finally {
      await half.close();
      await picky.close();
    }
    const pickyPrompts = world.claude.requests.filter((r) => JSON.stringify(r.body).includes('confidence >= 0.9'));
    expect(pickyPrompts.length).toBeGreaterThan(0);
  }, 300_000);
});
