// /shadows through real telegraf long polling against the local Bot API server.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChatPacer } from '../../../src/adapters/notifier/chat-pacer.js';
import { createTelegramBot } from '../../../src/adapters/notifier/telegram-api.js';
import { TelegramCommands } from '../../../src/adapters/notifier/telegram-commands.js';
import type { ShadowBoard } from '../../../src/ports/control.js';
import { RecordingLogger } from '../../../src/testing/silent-logger.js';
import { FakeBotApi, type SentMessage } from '../../peers/telegram/fake-bot-api.js';
import { ManualClock } from '../../unit/adapters/notifier/support/manual-clock.js';
import { pricePrecision } from '../../unit/adapters/notifier/support/sample-events.js';
import { FakeOwnerControl } from './fake-owner-control.js';

const OWNER = 4242;
const SINCE = new Date('2026-02-01T00:00:00Z');
const RULE = { checkpoints: [20, 40, 80, 160, 320], errorRate: 0.05, resamples: 10_000 };
const MAIN = { name: 'main', since: SINCE, startEquity: 1_000, trades: 24, netPnl: 40, returnPct: 0.04, maxDrawdownPct: 0.06, winRate: 0.5, openPositions: 1 };

let api: FakeBotApi;
let control: FakeOwnerControl;
let commands: TelegramCommands;

beforeEach(async () => {
  const clock = new ManualClock('2026-03-02T10:00:00Z');
  api = await FakeBotApi.start({ timeSource: () => clock.now().getTime() });
  control = new FakeOwnerControl();
  const bot = createTelegramBot({ token: api.token, apiRoot: api.apiRoot });
  commands = new TelegramCommands({ bot, ownerChatId: String(OWNER), control, clock, logger: new RecordingLogger(), pacer: new ChatPacer(clock, 1000), render: { pricePrecision } });
  clock.autoAdvance();
  await commands.start();
});

afterEach(async () => {
  await commands.stop();
  await api.close();
});

async function ask(text: string): Promise<SentMessage> {
  const before = api.sent.length;
  api.pushMessage(OWNER, text);
  await api.waitFor((server) => server.sent.length > before, `a reply to ${text}`);
  return api.sent[before]!;
}

describe('/shadows over Telegram', () => {
  it('when no shadow strategy is configured, then the reply says how to define one', async () => {
    const reply = await ask('/shadows');
    expect(reply.visible).toContain('No shadow strategies are running. SHADOW_STRATEGIES defines paper variants');
  });

  it('when variants run, then each shows P&L, drawdown and trades beside the main account, and is called better only past the test', async () => {
    const board: ShadowBoard = {
      now: new Date('2026-03-02T10:00:00Z'),
      main: MAIN,
      rule: RULE,
      shadows: [
        {
          ...MAIN,
          name: 'strict',
          trades: 22,
          netPnl: 95.5,
          returnPct: 0.0955,
          maxDrawdownPct: 0.031,
          winRate: 0.64,
          openPositions: 0,
          changes: { MIN_OPPORTUNITY_SCORE: '90' },
          main: MAIN,
          comparison: { verdict: 'better', explanation: 'the first 20 trades of each: mean difference per trade 0.31%, one-sided 99% bounds 0.05% to 0.58%; next check at 40 trades', meanDifference: 0.0031, lowerBound: 0.0005, upperBound: 0.0058 },
        },
        {
          ...MAIN,
          name: 'lucky',
          // Added later, and its engine could not start: the main row's window is not its own.
          since: new Date('2026-02-10T00:00:00Z'),
          main: { ...MAIN, since: new Date('2026-02-10T00:00:00Z'), trades: 4, netPnl: 10, returnPct: 0.01, maxDrawdownPct: 0.02 },
          problem: 'could not start; see the log',
          trades: 3,
          netPnl: 60,
          returnPct: 0.06,
          maxDrawdownPct: 0,
          winRate: 1,
          openPositions: 0,
          changes: { POSITION_SIZE_PERCENT: '0.5' },
          comparison: { verdict: 'not enough evidence', explanation: '3 trades on the smaller side; first check at 20 on each (checks at 20, 40, 80, 160 and 320 trades)' },
        },
      ],
    };
    control.shadowBoard = board;

    const reply = await ask('/shadows');

    expect(reply.parseMode).toBe('HTML');
    const text = reply.visible;
    expect(text).toContain('👥 Shadow strategies (paper, no real orders)');
    expect(text).toContain('main since 2026-02-01: +$40.00 (+4.00%) · max drawdown 6.00% · 24 trades, 50% won · 1 open');
    expect(text).toContain('strict since 2026-02-01: +$95.50 (+9.55%) · max drawdown 3.10% · 22 trades, 64% won');
    expect(text).toContain('MIN_OPPORTUNITY_SCORE=90');
    expect(text).toContain('✅ better than the main account: the first 20 trades of each: mean difference per trade 0.31%');
    expect(text).toContain('⚖️ not enough evidence yet: 3 trades on the smaller side; first check at 20 on each');
    expect(text).toContain('lucky since 2026-02-10: +$60.00 (+6.00%)');
    expect(text).toContain('⚠️ not trading: could not start; see the log');
    // Only the variant whose window differs from the main row's gets the main account over its own time.
    expect(text.match(/main over the same time/g)).toHaveLength(1);
    expect(text).toContain('main over the same time: +$10.00 (+1.00%) · max drawdown 2.00% · 4 trades, 50% won · 1 open');
    expect(text).toContain('Checks come at 20, 40, 80, 160 and 320 trades on each side, and a verdict stands until the next check');
    expect(text).toContain('so a false "better" stays under 5% however often you look (seeded bootstrap over days of closing, 10000 resamples).');
    expect(control.calls).toContain('shadows');
  });

  it('when variants made AI calls of their own, then /cost shows them apart from the account and the sum of both', async () => {
    control.aiSpend = { today: 0.42, monthToDate: 8.1, projectedMonth: 25.11, shadows: [{ name: 'picky', today: 0.2, monthToDate: 1.9, projectedMonth: 5.89 }] };

    const reply = await ask('/cost');

    expect(reply.visible.split('\n')).toEqual([
      '🧠 AI spend',
      'Today: $0.42',
      'This month: $8.10',
      'Projected month: $25.11',
      '',
      '👥 Shadow strategies (their extra calls only: an answer this account uses too is paid by this account)',
      'picky: today $0.20 · month $1.90 · projected $5.89',
      'All together: today $0.62 · month $10.00 · projected $31.00',
    ]);
    expect(control.calls).toContain('aiCost');
  });
});
