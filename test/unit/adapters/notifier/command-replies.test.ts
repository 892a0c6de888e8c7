import { describe, expect, it } from 'vitest';
import {
  renderAiCostReply,
  renderCloseDone,
  renderConfigReply,
  renderModelsReply,
  renderPnlReply,
  renderPositionsReply,
  renderResumeReply,
  renderStatusReply,
  renderSummaryReply,
  renderTradesReply,
} from '../../../../src/adapters/notifier/render/command-replies.js';
import { priceFormatter } from '../../../../src/adapters/notifier/render/render-options.js';
import type { DaemonStatus, PositionView } from '../../../../src/ports/control.js';
import { btcLong, btcTrade, daySummary, ethShortLoss, pricePrecision } from './support/sample-events.js';

const price = priceFormatter({ pricePrecision });
const now = new Date('2025-10-10T21:25:00Z');
const view: PositionView = { position: btcLong(), price: 63_000, unrealizedPnl: 37.9, unrealizedPct: 0.0475 };

describe('replies to owner commands', () => {
  it('when asked for /status, then mode, uptime, capital, analysts, breakers, positions and schedule are listed', () => {
    const status: DaemonStatus = {
      mode: 'live',
      startedAt: new Date('2025-10-10T18:00:00Z'),
      now,
      capital: 1069.49,
      accountBalance: 1069.49,
      analysts: ['claude', 'deepseek', 'trend'],
      breakers: [{ breaker: 'manual_pause', detail: 'paused by telegram:owner' }],
      openPositions: [view],
      lastTickAt: new Date('2025-10-10T21:24:00Z'),
      nextScanAt: new Date('2025-10-10T21:30:00Z'),
    };
    expect(renderStatusReply(status, price)).toBe(
      [
        '🤖 <b>Status</b> · LIVE',
        'Up: 3h 25m (since 2025-10-10 18:00 UTC)',
        'Capital: $1,069.49',
        'Analysts: claude, deepseek, trend',
        '⛔ Entries paused: paused by you · paused by telegram:owner',
        'Open positions:',
        '• LONG BTC/USDT 5x · entry 62,345.1 · P&amp;L +$37.90',
        'Last check: 2025-10-10 21:24 UTC',
        'Next scan: none while entries are paused',
      ].join('\n'),
    );
    expect(renderStatusReply({ ...status, breakers: [] }, price)).toContain('Entries: allowed\nOpen positions:');
    expect(renderStatusReply({ ...status, breakers: [] }, price)).toMatch(/Next scan: 2025-10-10 21:30 UTC$/);
  });

  it('when the daemon trades $100 of a $999.89 account, then /status names both figures and never one for the other', () => {
    const status: DaemonStatus = { mode: 'live', startedAt: now, now, capital: 100, accountBalance: 999.89, analysts: ['claude'], breakers: [], openPositions: [] };
    const reply = renderStatusReply(status, price);
    expect(reply).toContain('Trading capital: $100.00 · account balance $999.89');
    expect(reply).not.toContain('Capital: $999.89');
  });

  it('when asked for /positions, then each position shows prices, unrealised P&L, stop, liquidation and age', () => {
    expect(renderPositionsReply([view], price, now)).toBe(
      [
        '📂 <b>Open positions</b>',
        '',
        '🟢 <b>LONG BTC/USDT</b> · 5x',
        'Entry: 62,345.1 · now 63,000.0',
        'P&amp;L: <b>+$37.90</b> (+4.75%) unrealised',
        'Stop: 59,227.8 · liquidation: 50,123.4',
        'Opened: 2025-10-10 17:40 UTC (3h 45m ago)',
      ].join('\n'),
    );
    expect(renderPositionsReply([], price, now)).toBe('No open positions.');
  });

  it('when a position is being closed, then /positions and /status say so, not that it runs on', () => {
    const closing = { ...view, position: { ...view.position, status: 'closing' as const, closeReason: 'manual' as const } };
    const positions = renderPositionsReply([closing], price, now);
    expect(positions.split('\n')[3]).toMatch(/^⏳ Closing \(.+\): the close is under way and is retried at every check$/);
    const status: DaemonStatus = { mode: 'live', startedAt: now, now, capital: 100, accountBalance: 100, analysts: ['claude'], breakers: [], openPositions: [closing] };
    expect(renderStatusReply(status, price)).toContain('• LONG BTC/USDT 5x · entry 62,345.1 · P&amp;L +$37.90 · ⏳ closing');
  });

  it('when the price of a position is unknown, then it says so instead of inventing a P&L', () => {
    const text = renderPositionsReply([{ position: btcLong() }], price, now);
    expect(text).toContain('Entry: 62,345.1 · now unknown\nP&amp;L: unknown (no price)');
  });

  it('when asked for /pnl, then today, this week and all time are shown', () => {
    expect(renderPnlReply({ today: 12.3, week: -3.1, allTime: 120, tradesAllTime: 42 })).toBe(
      ['💰 <b>P&amp;L</b>', 'Today: +$12.30', 'This week: -$3.10', 'All time: +$120.00 over 42 trades'].join('\n'),
    );
  });

  it('when asked for /daily, then the daily summary is shown without an event time', () => {
    const text = renderSummaryReply('day', daySummary());
    expect(text.split('\n')[0]).toBe('📅 <b>Daily summary</b> · 2025-10-10');
    expect(text).not.toContain('🕒');
  });

  it('when asked for /trades, then each trade is one line with result, prices, reason and time', () => {
    expect(renderTradesReply([btcTrade(), ethShortLoss()], price)).toBe(
      [
        '📜 <b>Last 2 trades</b>',
        '✅ +$69.49 LONG BTC/USDT · 62,345.1 → 63,500.0 · take profit · 2025-10-10 21:05 UTC',
        '❌ -$3.10 SHORT ETH/USDT · 2,450.00 → 2,480.00 · stop loss hit · 2025-10-10 21:05 UTC',
      ].join('\n'),
    );
    expect(renderTradesReply([], price)).toBe('No trades yet.');
  });

  it('when asked for /cost, then today, the month and its projection are shown', () => {
    expect(renderAiCostReply({ today: 0.42, monthToDate: 8.1, projectedMonth: 25.11, shadows: [] })).toBe(
      ['🧠 <b>AI spend</b>', 'Today: $0.42', 'This month: $8.10', 'Projected month: $25.11'].join('\n'),
    );
  });

  it('when shadow strategies run, then /cost shows each one\'s extra calls apart from the account, and the total', () => {
    const reply = renderAiCostReply({
      today: 0.42,
      monthToDate: 8.1,
      projectedMonth: 25.11,
      shadows: [
        { name: 'picky', today: 0.1, monthToDate: 2, projectedMonth: 6.2 },
        { name: 'half<&>', today: 0, monthToDate: 0.0042, projectedMonth: 0.013 },
      ],
    });
    expect(reply.split('\n')).toEqual([
      '🧠 <b>AI spend</b>',
      'Today: $0.42',
      'This month: $8.10',
      'Projected month: $25.11',
      '',
      '👥 <b>Shadow strategies</b> (their extra calls only: an answer this account uses too is paid by this account)',
      '<b>picky</b>: today $0.10 · month $2.00 · projected $6.20',
      // A fraction of a cent is shown as such, not as nothing.
      '<b>half&lt;&amp;&gt;</b>: today $0.00 · month $0.0042 · projected $0.01',
      'All together: today $0.52 · month $10.10 · projected $31.32',
    ]);
  });

  it('when asked for /models, then each analyst shows its hit rate and confidence when right and wrong', () => {
    expect(
      renderModelsReply([
        { analyst: 'claude', votes: 120, scored: 80, hits: 50, hitRate: 0.625, avgConfidenceWhenRight: 0.81, avgConfidenceWhenWrong: 0.77 },
        { analyst: 'trend', votes: 1, scored: 0, hits: 0 },
      ]),
    ).toBe(
      [
        '🎯 <b>Analyst track record</b>',
        '<b>claude</b>: 120 votes · 50/80 right (63%) · confidence when right 81%, when wrong 77%',
        '<b>trend</b>: 1 vote · not scored yet',
      ].join('\n'),
    );
  });

  it('when asked for /config, then settings are listed sorted, aligned and escaped', () => {
    expect(renderConfigReply({ RISK_MAX_LEVERAGE: '5', MODE: 'paper & <test>' })).toBe(
      ['⚙️ <b>Settings</b>', '<pre>MODE              = paper &amp; &lt;test&gt;', 'RISK_MAX_LEVERAGE = 5</pre>'].join('\n'),
    );
  });

  it('when a close is confirmed, then the exit price and net P&L are shown', () => {
    expect(renderCloseDone(btcTrade(), price)).toBe(
      ['✅ <b>LONG BTC/USDT closed</b> at 63,500.0', 'P&amp;L: <b>+$69.49</b> (+8.71%) net of fees and funding'].join('\n'),
    );
  });

  it('when a trade books exactly $0, then /trades and the close reply mark it even, as the summaries count it, not as a win', () => {
    const even = btcTrade({ netPnl: 0 });
    expect(renderTradesReply([even], price).split('\n')[1]).toMatch(/^➖ /);
    expect(renderCloseDone(even, price)).toMatch(/^➖ <b>LONG BTC\/USDT closed<\/b>/);
    expect(renderTradesReply([btcTrade({ netPnl: 0.004 })], price).split('\n')[1]).toMatch(/^✅ /);
  });

  it('when the confirmed close took the rest after a take-profit step, then the price is the close\u2019s own and the step is shown apart', () => {
    const time = new Date('2025-10-10T20:00:00Z');
    const fills = [
      { id: 'e', orderId: 'e', symbol: 'BTC/USDT:USDT', side: 'buy', price: 62_345.1, quantity: 0.064, fee: 1.995, time },
      { id: 'tp1', orderId: 'tp1', symbol: 'BTC/USDT:USDT', side: 'sell', price: 64_000, quantity: 0.032, fee: 1.024, time },
      { id: 'c', orderId: 'c', symbol: 'BTC/USDT:USDT', side: 'sell', price: 63_000, quantity: 0.032, fee: 1.008, time },
    ] as const;

    expect(renderCloseDone(btcTrade({ fills: [...fills] }), price)).toBe(
      [
        '✅ <b>LONG BTC/USDT closed</b> at 63,000.0',
        'Closed before: 0.032 for +$50.94 net · all exits average 63,500.0',
        'P&amp;L: <b>+$69.49</b> (+8.71%) net of fees and funding, the whole position',
      ].join('\n'),
    );
  });
});

describe('the answer to /resume', () => {
  it('when something /resume cannot lift still holds entries back, then it says entries still wait, without claiming a pause was lifted', () => {
    const reply = renderResumeReply([{ breaker: 'daily_loss', detail: 'daily loss limit reached (-$10.40 today)', until: new Date('2025-10-11T00:00:00Z') }]);
    expect(reply.split('\n')).toEqual([
      '⏸ New entries still wait for what /resume cannot lift:',
      '⛔ Entries paused: daily loss limit · daily loss limit reached (-$10.40 today) (until 2025-10-11 00:00 UTC)',
    ]);
    expect(renderResumeReply([])).toBe('▶️ New entries allowed again.');
  });

  it('when a pause /resume lifts still holds (it began after the /resume was sent), then it says to send /resume again', () => {
    const reply = renderResumeReply([{ breaker: 'loss_streak', detail: '3 losing trades in a row (limit 3)' }]);
    expect(reply.split('\n')).toEqual([
      '⏸ New entries still wait for:',
      expect.stringContaining('3 losing trades in a row'),
      'A pause that began after you sent /resume is not lifted by it: send /resume again if you still want entries.',
    ]);
  });
});

