import { describe, expect, it } from 'vitest';
import { COMMANDS } from '../../../../src/adapters/notifier/command-catalogue.js';
import { renderHelpReply } from '../../../../src/adapters/notifier/render/command-replies.js';
import {
  LOG_MESSAGE_LIMIT,
  renderBalanceReply,
  renderChartCaption,
  renderLogsReply,
  renderPerformanceReply,
  renderStatsReply,
  renderVersionReply,
} from '../../../../src/adapters/notifier/render/report-replies.js';
import type { BalanceOverview, EquityHistory, TradeStats } from '../../../../src/ports/control.js';
import { HOSTILE, weekCurve } from './support/sample-events.js';

const HOUR = 3_600_000;
const MINUTE = 60_000;

describe('/balance', () => {
  const balance: BalanceOverview = {
    currency: 'USDT',
    capital: 100,
    accountBalance: 999.89,
    availableMargin: 20.5,
    marginInUse: 79.5,
    openPositions: 1,
    unrealizedPnl: 4.2,
    unrealizedNetPnl: 3.05,
    equity: 1004.09,
  };

  it('when the daemon trades $100 of a $999.89 account with a position open, then capital, balance, margin, open P&L and equity are each labelled', () => {
    expect(renderBalanceReply(balance)).toBe(
      [
        '💰 <b>Balance</b>',
        'Trading capital: $100.00 · account balance $999.89',
        'Available margin: $20.50',
        'Margin in use: $79.50 (1 position)',
        'Open P&amp;L: +$4.20 at the last price · +$3.05 net of fees and funding',
        'Equity: <b>$1,004.09</b> (account balance + open P&amp;L)',
      ].join('\n'),
    );
  });

  it('when nothing is open, then no margin is in use and equity is the balance', () => {
    const flat = { ...balance, capital: 999.89, availableMargin: 999.89, marginInUse: 0, openPositions: 0, unrealizedPnl: 0, unrealizedNetPnl: 0, equity: 999.89 };
    const text = renderBalanceReply(flat);
    expect(text).toContain('Capital: $999.89\n');
    expect(text).toContain('Margin in use: $0.00 (no open position)\nOpen P&amp;L: $0.00 at the last price\nEquity: <b>$999.89</b>');
  });

  it('when a position has no price, then open P&L and equity are unknown rather than a partial sum', () => {
    const { unrealizedPnl: _gross, unrealizedNetPnl: _net, equity: _equity, ...unpriced } = balance;
    expect(renderBalanceReply(unpriced)).toContain('Open P&amp;L: unknown (no price for an open position)\nEquity: unknown');
  });
});

describe('/performance', () => {
  const symbols = [
    { symbol: 'BTC/USDT:USDT', trades: 12, wins: 8, netPnl: 120.5, feesAndFunding: 3.2 },
    { symbol: 'ETH/USDT:USDT', trades: 1, wins: 0, netPnl: -3.1, feesAndFunding: 4.43 },
  ];

  it('when asked for all time, then each symbol shows net P&L, trades, wins and fees+funding, best first, and a total', () => {
    expect(renderPerformanceReply({ to: new Date('2025-10-10T21:25:00Z'), symbols })).toBe(
      [
        '🏆 <b>Performance by symbol</b> · all time',
        '1. BTC/USDT: <b>+$120.50</b> · 12 trades, 8 wins (67%) · fees+funding $3.20',
        '2. ETH/USDT: <b>-$3.10</b> · 1 trade, 0 wins (0%) · fees+funding $4.43',
        'Total: +$117.40 over 13 trades',
      ].join('\n'),
    );
  });

  it('when asked for the last 30 days, then the title names the window and its first day', () => {
    const report = { days: 30, from: new Date('2025-09-11T00:00:00Z'), to: new Date('2025-10-10T21:25:00Z'), symbols };
    expect(renderPerformanceReply(report).split('\n')[0]).toBe('🏆 <b>Performance by symbol</b> · last 30 days (since 2025-09-11)');
    expect(renderPerformanceReply({ ...report, symbols: [] })).toBe('No trades in the last 30 days (since 2025-09-11).');
    expect(renderPerformanceReply({ to: report.to, symbols: [] })).toBe('No trades yet.');
  });

  it('when a symbol carries markup, then it is escaped', () => {
    const text = renderPerformanceReply({ to: new Date(0), symbols: [{ ...symbols[0]!, symbol: `${HOSTILE}:USDT` }] });
    expect(text).toContain('&lt;script&gt; &amp; &quot;quotes&quot;');
    expect(text).not.toContain('<script>');
  });
});

describe('/stats', () => {
  const stats: TradeStats = {
    trades: 15,
    exits: [
      { reason: 'take_profit', trades: 9, wins: 9, netPnl: 140 },
      { reason: 'stop_loss_on_exchange', trades: 5, wins: 0, netPnl: -22.6 },
      { reason: 'ai_exit', trades: 1, wins: 0, netPnl: -0.4 },
    ],
    holding: {
      all: { trades: 15, averageMs: 3 * HOUR + 25 * MINUTE, medianMs: 2 * HOUR + 10 * MINUTE, longestMs: 28 * HOUR },
      winners: { trades: 9, averageMs: 2 * HOUR, medianMs: 90 * MINUTE, longestMs: 5 * HOUR },
      losers: { trades: 6, averageMs: 5 * HOUR + 30 * MINUTE, medianMs: 4 * HOUR, longestMs: 28 * HOUR },
    },
  };

  it('when there are trades, then each exit reason in words has its count, win rate and net, and holding times split winners from losers', () => {
    expect(renderStatsReply(stats)).toBe(
      [
        '📊 <b>Trade statistics</b> · 15 trades',
        '',
        '<b>Exit reasons</b>',
        'take profit: 9 · win rate 100% · +$140.00',
        'stop loss triggered on the exchange: 5 · win rate 0% · -$22.60',
        'the analysts advised an exit: 1 · win rate 0% · -$0.40',
        '',
        '<b>Holding time</b>',
        'All (15): average 3h 25m · median 2h 10m · longest 1d 4h',
        'Winners (9): average 2h 0m · median 1h 30m · longest 5h 0m',
        'Losers (6): average 5h 30m · median 4h 0m · longest 1d 4h',
      ].join('\n'),
    );
  });

  it('when every trade lost, then the winners line says none; without trades, one line says so', () => {
    expect(renderStatsReply({ ...stats, holding: { ...stats.holding, winners: undefined } })).toContain('Winners: none');
    expect(renderStatsReply({ trades: 0, exits: [], holding: {} })).toBe('No trades yet.');
  });
});

describe('/logs', () => {
  it('when there are warnings and errors, then each is one line, newest first, with its time, module, message and error, escaped', () => {
    const text = renderLogsReply([
      { time: new Date('2025-10-10T21:20:00Z'), level: 'error', module: 'daemon', message: 'engine step failed', context: { step: 'scan', error: 'timeout <after> 10 s' } },
      { time: new Date('2025-10-10T21:05:00Z'), level: 'warn', message: `refused ${HOSTILE}` },
    ]);
    expect(text).toBe(
      [
        '📋 <b>The last 2 warnings and errors</b>, newest first',
        '🛑 2025-10-10 21:20 UTC · <code>daemon</code> · engine step failed: timeout &lt;after&gt; 10 s',
        '⚠️ 2025-10-10 21:05 UTC · refused &lt;script&gt; &amp; &quot;quotes&quot; &#39;single&#39; 🚀',
      ].join('\n'),
    );
  });

  it('when a message is long or spans lines, then it is cut to one short line', () => {
    const long = `first line\n${'x'.repeat(500)}`;
    const [, line] = renderLogsReply([{ time: new Date(0), level: 'warn', message: long }]).split('\n');
    const shown = line!.split(' · ').slice(1).join(' · ');
    expect(shown).toHaveLength(LOG_MESSAGE_LIMIT);
    expect(shown.startsWith('first line xxx')).toBe(true);
    expect(shown.endsWith('…')).toBe(true);
  });

  it('when the cut falls between the two halves of an emoji, then the line is cut by character and keeps the emoji whole', () => {
    // The emoji's two UTF-16 units sit where a cut by unit would fall, between them.
    const message = `${'x'.repeat(LOG_MESSAGE_LIMIT - 2)}🚀 and more after it`;

    const [, line] = renderLogsReply([{ time: new Date(0), level: 'warn', message }]).split('\n');

    expect(line!.split(' · ')[1]).toBe(`${'x'.repeat(LOG_MESSAGE_LIMIT - 2)}🚀…`);
  });

  it('when nothing was logged, then it says so', () => {
    expect(renderLogsReply([])).toBe('No warnings or errors logged.');
  });
});

describe('/version', () => {
  const info = {
    version: '0.1.0',
    commit: '0d844cb',
    runtime: 'Node.js 20.19.0',
    mode: 'live' as const,
    startedAt: new Date('2025-10-10T18:00:00Z'),
    now: new Date('2025-10-12T21:25:00Z'),
  };

  it('then version, commit, runtime, mode and uptime are listed', () => {
    expect(renderVersionReply(info)).toBe(
      [
        '🏷 <b>Version</b>',
        'Version: 0.1.0',
        'Commit: <code>0d844cb</code>',
        'Runtime: Node.js 20.19.0',
        'Mode: LIVE',
        'Up: 2d 3h (since 2025-10-10 18:00 UTC)',
      ].join('\n'),
    );
  });

  it('when the build did not say its commit, then it is unknown', () => {
    const { commit: _commit, ...withoutCommit } = info;
    expect(renderVersionReply(withoutCommit)).toContain('Commit: unknown');
  });
});

describe('/chart caption', () => {
  const history: EquityHistory = { days: 7, from: new Date('2025-10-06T00:00:00Z'), to: new Date('2025-10-12T23:30:00Z'), points: weekCurve(), trades: 3 };

  it('when trades closed in the window, then it names the window and the change from the first level to the last', () => {
    expect(renderChartCaption(history)).toBe(['📈 <b>Equity</b> · last 7 days, since 2025-10-06', '$1,000.00 → <b>$1,042.50</b> (+4.25%) · 3 trades'].join('\n'));
  });

  it('when no trade closed, then it says the equity stayed where it was', () => {
    expect(renderChartCaption({ ...history, days: 1, points: weekCurve().slice(0, 1), trades: 0 })).toBe(
      'No trade closed in the last 1 day; realised equity stayed at $1,000.00.',
    );
  });
});

describe('/help', () => {
  it('when listed, then every command of the catalogue appears once, and the owner-only ones under their own heading', () => {
    const text = renderHelpReply(COMMANDS);
    const [everyone, owners] = text.split('🔒');
    for (const entry of COMMANDS) {
      expect(text.match(new RegExp(`^/${entry.command}\\b`, 'gm'))).toHaveLength(1);
      expect(entry.access === 'owner' ? owners : everyone).toMatch(new RegExp(`^/${entry.command}\\b`, 'm'));
    }
    expect(owners).toContain('/close: Close an open position; /close ETH for one market (asks to confirm)\n/forceexit: The same as /close');
    expect(everyone).toContain('/trades [n]: Last n trades (default 5, at most 20)');
    expect(everyone).toContain('/logs [n]: Last n warnings and errors (default 10, at most 30)');
    expect(everyone).toContain('/chart [days]: Equity chart of the last n days (default 7, at most 90; 30 or 30d)');
  });
});
