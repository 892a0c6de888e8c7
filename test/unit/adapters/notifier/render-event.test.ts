import { describe, expect, it } from 'vitest';
import { renderEvent } from '../../../../src/adapters/notifier/render/render-event.js';
import { HOSTILE, pricePrecision, sampleEvents, weekCurve } from './support/sample-events.js';

const events = sampleEvents();
const render = (event: Parameters<typeof renderEvent>[0]): string => renderEvent(event, { pricePrecision }).text;

describe('renderEvent', () => {
  it('when the daemon starts, then mode, money, markets, analysts and limits are shown with the warning right under the title', () => {
    expect(render(events.started)).toBe(
      [
        '🚀 <b>Daemon started</b> · PAPER',
        '⚠️ <b>WARNING: technical analysts stand in for missing AI keys</b>',
        'Capital: $1,000.00',
        'Symbols: BTC/USDT, ETH/USDT',
        'Analysts: claude, deepseek, trend',
        'Risk: leverage up to 5x · margin 80% of capital · stop 5%–10%',
        'Daily loss limit 10% · pause after 3 losses in a row',
        'Min profit $2.50 · min confidence 75%',
        '🕒 2025-10-10 21:05 UTC',
      ].join('\n'),
    );
  });

  it('when a live daemon trades $100 of a $999.89 account, then the start message names both, labelled', () => {
    const text = render({ ...events.started, mode: 'live', capital: 100, accountBalance: 999.89 });
    expect(text).toContain('Trading capital: $100.00 · account balance $999.89');
  });

  it('when the daemon stops, then the reason and the positions left open are shown', () => {
    expect(render(events.stopped)).toBe(
      ['🛑 <b>Daemon stopped</b>', 'Reason: SIGTERM', 'Open positions: 1', '🕒 2025-10-10 21:05 UTC'].join('\n'),
    );
  });

  it('when a position opens, then size, stop, target, liquidation and the analysts behind it are shown at the market precision', () => {
    expect(render(events.position_opened)).toBe(
      [
        '🟢 <b>LONG BTC/USDT</b> opened · 5x',
        'Entry: 62,345.1 · quantity 0.064',
        'Margin: $798.02 · notional $3,990.09',
        'Stop: 59,227.8 (5.00% away)',
        "Min-profit price: 62,420.5 · the daemon's own exits book +$2.50 net or more from there",
        'Liquidation: 50,123.4 (19.60% away)',
        'AI: 82% confidence · score 86 · agreed: claude, deepseek · not joining: grok',
        '🕒 2025-10-10 21:05 UTC',
      ].join('\n'),
    );
  });

  it('when a position opens, then the min-profit price is not called a target, and the target shown is the one resting on the exchange', () => {
    const bare = render(events.position_opened);
    expect(bare).not.toContain('Target');
    const text = render({ ...events.position_opened, target: { triggerPrice: 65_462.4, netPnl: 183.67 } });
    expect(text).toContain('Target: 65,462.4 for +$183.67 net, resting on the exchange');
    expect(text).toContain("Min-profit price: 62,420.5 · the daemon's own exits book +$2.50 net or more from there");
  });

  it('when the market precision is unknown, then prices get five significant digits', () => {
    const text = renderEvent(events.position_opened).text;
    expect(text).toContain('Entry: 62,345.10 · quantity 0.064');
    expect(text).toContain('Stop: 59,227.80 (5.00% away)');
  });

  it('when a position opens with a ladder, then each resting step and each step left out is listed with its reason', () => {
    const ladder = { placed: [{ step: 1, quantity: 0.032, triggerPrice: 65_462.4, netPnl: 96.14 }], skipped: [{ step: 2, reason: 'it would book $1.20, below the minimum profit $2.50' }] };
    const text = render({ ...events.position_opened, ladder });
    expect(text).toContain('Take-profit 1: 0.032 at 65,462.4 for +$96.14 net');
    expect(text).toContain('Take-profit 2 not placed: it would book $1.20, below the minimum profit $2.50');
  });

  it('when a ladder step fills, then the part closed, what it booked and the re-armed stop for the rest are shown', () => {
    const lines = render(events.position_partially_closed).split('\n');
    expect(lines[0]).toBe('🎯 <b>LONG BTC/USDT</b> take-profit 1 filled');
    expect(lines[1]).toBe('Closed 0.012 at 64,200.0 · <b>+$19.37</b> net');
    expect(lines[2]).toBe('Left: 0.012 · stop 59,227.8, re-armed for the rest');
    const failed = render({ ...events.position_partially_closed, stopRearmed: false });
    expect(failed).toContain('the stop could not be re-armed yet');
  });

  it('when a position is checked on, then current price, unrealised P&L and the distances to stop and liquidation are shown', () => {
    expect(render(events.position_update)).toBe(
      [
        '📊 <b>LONG BTC/USDT</b> · 5x',
        'Entry: 62,345.1 · now 63,000.0',
        'P&amp;L: <b>+$41.92</b> (+5.25%) unrealised',
        'Stop: 5.99% away · liquidation: 20.44% away',
        '🕒 2025-10-10 21:05 UTC',
      ].join('\n'),
    );
  });

  it('when a position closes in profit, then net P&L, fees, funding, reason, time held and capital after are shown', () => {
    expect(render(events.position_closed)).toBe(
      [
        '✅ <b>LONG BTC/USDT closed</b> · take profit',
        'Entry: 62,345.1 → exit 63,500.0',
        'P&amp;L: <b>+$69.49</b> (+8.71%) net of fees and funding',
        'Fees: $4.03 · funding: $0.40 paid',
        'Held: 3h 25m',
        'Capital: $1,069.49',
        '🕒 2025-10-10 21:05 UTC',
      ].join('\n'),
    );
  });

  it('when a position closes at exactly $0, then its mark is even, not a win', () => {
    const trade = { ...events.position_closed.trade, netPnl: 0 };
    expect(render({ ...events.position_closed, trade }).split('\n')[0]).toBe('➖ <b>LONG BTC/USDT closed</b> · take profit');
  });

  it('when a position is closed by the time exit, then the message says how long it was held and the limit', () => {
    const trade = { ...events.position_closed.trade, reason: 'time_exit' as const };
    const lines = render({ ...events.position_closed, trade, holdingLimitMs: 3 * 3_600_000 }).split('\n');
    expect(lines[0]).toBe('✅ <b>LONG BTC/USDT closed</b> · maximum holding time reached');
    expect(lines[4]).toBe('Held: 3h 25m (limit 3h 0m)');
  });

  it('when a take-profit step closed half before the rest, then the exit shown is the last order\u2019s, the step is apart, and the P&L is the whole position\u2019s', () => {
    const at = (minutes: number) => new Date(Date.parse('2025-10-10T17:40:00Z') + minutes * 60_000);
    const fill = (id: string, side: 'buy' | 'sell', price: number, fee: number, minutes: number) =>
      ({ id, orderId: id, symbol: 'BTC/USDT:USDT', side, price, quantity: side === 'buy' ? 0.064 : 0.032, fee, time: at(minutes) }) as const;
    const trade = { ...events.position_closed.trade, fills: [fill('e', 'buy', 62_345.1, 1.995, 0), fill('tp1', 'sell', 64_000, 1.024, 60), fill('c', 'sell', 63_000, 1.008, 200)] };

    const [, entry, before, pnl] = render({ ...events.position_closed, trade }).split('\n');

    expect(entry).toBe('Entry: 62,345.1 → exit 63,000.0 for the last 0.032');
    // 0.032 × (64,000 − 62,345.1) − half the entry fee − the step's own fee.
    expect(before).toBe('Closed before: 0.032 for +$50.94 net · all exits average 63,500.0');
    expect(pnl).toBe('P&amp;L: <b>+$69.49</b> (+8.71%) net of fees and funding, the whole position');
  });

  it('when a position closes at a loss, then the message is marked with a cross and the loss carries a minus', () => {
    const loss = { ...events.position_closed, trade: { ...events.position_closed.trade, netPnl: -3.1, pnlPct: -0.0039, reason: 'stop_loss' as const } };
    const [title, , pnl] = render(loss).split('\n');
    expect(title).toBe('❌ <b>LONG BTC/USDT closed</b> · stop loss hit');
    expect(pnl).toBe('P&amp;L: <b>-$3.10</b> (-0.39%) net of fees and funding');
  });

  it('when the portfolio is reported, then capital, the day and each open position are listed', () => {
    expect(render(events.portfolio)).toBe(
      [
        '💼 <b>Portfolio</b>',
        'Capital: $1,069.49',
        'Today: +$69.49 · win rate 60%',
        'Open positions:',
        '• LONG BTC/USDT 5x · entry 62,345.1 · stop 59,227.8',
        '🕒 2025-10-10 21:05 UTC',
      ].join('\n'),
    );
  });

  it('when a scan finds no trade, then the best candidate and the reason are shown', () => {
    expect(render(events.scan_result)).toBe(
      [
        '🔎 <b>Scan</b> · 10 markets',
        'Best: SHORT ETH/USDT · 78% confidence · score 73',
        'Agreed: claude, trend',
        '⏸ No trade: score 73 is below the minimum of 80',
        '🕒 2025-10-10 21:05 UTC',
      ].join('\n'),
    );
  });

  it('when a scan leads to a trade, then it says so', () => {
    const text = render({ ...events.scan_result, willTrade: true, reason: undefined });
    expect(text.split('\n')[3]).toBe('➡️ Opening a trade');
  });

  it('when a scan finds nothing, then it says there was nothing worth trading', () => {
    const text = render({ type: 'scan_result', at: events.scan_result.at, willTrade: false, symbolsScanned: 3 });
    expect(text).toBe(['🔎 <b>Scan</b> · 3 markets', 'Nothing worth trading.', '⏸ No trade', '🕒 2025-10-10 21:05 UTC'].join('\n'));
  });

  it('when risk refuses an entry, then every reason is listed', () => {
    expect(render(events.risk_rejected)).toBe(
      [
        '🛑 <b>Risk check refused LONG ETH/USDT</b>',
        '• stop 4.99% away is below the 5% minimum',
        '• liquidation 8% away is closer than 10%',
        '🕒 2025-10-10 21:05 UTC',
      ].join('\n'),
    );
  });

  it('when a breaker trips, then the breaker, its detail and until when are shown', () => {
    expect(render(events.breaker_tripped)).toBe(
      [
        '⛔ <b>New entries paused</b> · daily loss limit',
        'lost $101.20 today (10.1% of $1,000.00)',
        'Until: 2025-10-11 00:00 UTC',
        'Open positions stay protected and watched.',
        '🕒 2025-10-10 21:05 UTC',
      ].join('\n'),
    );
  });

  it('when a breaker clears, then it says entries are allowed again', () => {
    expect(render(events.breaker_cleared)).toBe(
      ['▶️ <b>New entries allowed again</b> · losing streak cleared', 'a new UTC day began', '🕒 2025-10-10 21:05 UTC'].join('\n'),
    );
  });

  it('when a breaker clears while another still holds entries back, then it says they still wait, and why', () => {
    expect(render({ ...events.breaker_cleared, breaker: 'daily_loss', stillBlocking: ['paused by telegram:owner'] })).toBe(
      [
        '⏸ <b>New entries still wait</b> · daily loss limit cleared',
        'a new UTC day began',
        'Still holding them back: paused by telegram:owner',
        '🕒 2025-10-10 21:05 UTC',
      ].join('\n'),
    );
    expect(render({ ...events.breaker_cleared, stillBlocking: [] }).split('\n')[0]).toBe('▶️ <b>New entries allowed again</b> · losing streak cleared');
  });

  it('when one /resume lifted several switches, then the one message names them all', () => {
    const lifted = { ...events.breaker_cleared, breaker: 'manual_pause' as const, alsoCleared: ['loss_streak', 'drawdown'] as const, detail: 'entries resumed by telegram:owner' };
    expect(render(lifted).split('\n').slice(0, 2)).toEqual([
      '▶️ <b>New entries allowed again</b> · cleared: paused by you, losing streak and account drawdown limit',
      'entries resumed by telegram:owner',
    ]);
  });

  it('when alerts are raised and cleared, then critical, warning and resolved read differently', () => {
    const base = events.alert;
    expect(render(base)).toBe(
      ['🚨 <b>CRITICAL</b> · <code>exchange:down</code>', 'Binance has not answered for 3 minutes', '🕒 2025-10-10 21:05 UTC'].join('\n'),
    );
    expect(render({ ...base, severity: 'warning' }).split('\n')[0]).toBe('⚠️ <b>Warning</b> · <code>exchange:down</code>');
    expect(render({ ...base, cleared: true, message: 'Binance answers again' })).toBe(
      ['✅ <b>Resolved</b> · <code>exchange:down</code>', 'Binance answers again', '🕒 2025-10-10 21:05 UTC'].join('\n'),
    );
  });

  it('when the day ends, then the daily summary has trades, win rate, P&L, capital, best and worst, fees and AI spend', () => {
    expect(render(events.daily_summary)).toBe(
      [
        '📅 <b>Daily summary</b> · 2025-10-10',
        'Trades: 4 (3 wins, 1 loss) · win rate 75%',
        'P&amp;L: <b>+$12.30</b> (+1.23%)',
        'Capital: $1,000.00 → $1,012.30',
        'Best: +$8.00 LONG BTC/USDT',
        'Worst: -$3.10 SHORT ETH/USDT',
        'Fees: $2.40 · funding: $0.10 paid',
        'AI spend: $0.42',
        '🕒 2025-10-11 00:00 UTC',
      ].join('\n'),
    );
  });

  it('when the daemon trades $100 of a larger live account, then the summary measures its P&L against the $100 and labels the account figures', () => {
    const capped = { ...events.daily_summary.summary, tradingCapital: 100 };
    const text = render({ ...events.daily_summary, summary: capped });
    expect(text).toContain('P&amp;L: <b>+$12.30</b> (+12.30% of the trading capital)');
    expect(text).toContain('Trading capital: $100.00 · account balance $1,000.00 → $1,012.30');
    expect(text).not.toContain('\nCapital:');
  });

  it('when a trade closed at exactly zero, then the summary counts it as even, neither won nor lost', () => {
    const withEven = { ...events.daily_summary.summary, trades: 5, wins: 3, losses: 1, winRate: 0.6 };
    expect(render({ ...events.daily_summary, summary: withEven })).toContain('Trades: 5 (3 wins, 1 loss, 1 even) · win rate 60%');
  });

  it('when a day had no trades, then it says none and lists no best or worst', () => {
    const quiet = { ...events.daily_summary.summary, trades: 0, wins: 0, losses: 0, winRate: undefined, netPnl: 0, best: undefined, worst: undefined };
    const text = render({ ...events.daily_summary, summary: quiet });
    expect(text).toContain('Trades: none\nP&amp;L: <b>$0.00</b> (0.00%)');
    expect(text).not.toContain('Best');
    expect(text).not.toContain('Worst');
  });

  it('when the week ends, then the summary adds profit factor and drawdown and carries the equity curve', () => {
    const rendered = renderEvent(events.weekly_summary, { pricePrecision });
    expect(rendered.text).toBe(
      [
        '📈 <b>Weekly summary</b> · 2025-10-06 → 2025-10-12',
        'Trades: 9 (6 wins, 3 losses) · win rate 67%',
        'P&amp;L: <b>+$42.50</b> (+4.25%)',
        'Capital: $1,000.00 → $1,042.50',
        'Best: +$8.00 LONG BTC/USDT',
        'Worst: -$3.10 SHORT ETH/USDT',
        'Fees: $2.40 · funding: $0.10 paid',
        'Profit factor: 2.10',
        'Max drawdown: 2.00%',
        'AI spend: $2.75',
        '🕒 2025-10-13 00:00 UTC',
      ].join('\n'),
    );
    expect(rendered.image).toEqual({ kind: 'equity_curve', points: weekCurve() });
  });

  it('when a week has a single equity point, then no chart is attached', () => {
    const rendered = renderEvent({ ...events.weekly_summary, equityCurve: weekCurve().slice(0, 1) });
    expect(rendered.image).toBeUndefined();
  });

  it('when dynamic values contain markup characters, quotes and emoji, then each is escaped for Telegram', () => {
    const escaped = '&lt;script&gt; &amp; &quot;quotes&quot; &#39;single&#39; 🚀';
    expect(render({ ...events.alert, incident: HOSTILE, message: HOSTILE })).toBe(
      [`🚨 <b>CRITICAL</b> · <code>${escaped}</code>`, escaped, '🕒 2025-10-10 21:05 UTC'].join('\n'),
    );
    expect(render({ ...events.started, warnings: [HOSTILE], analysts: [HOSTILE] })).toContain(
      `⚠️ <b>WARNING: ${escaped}</b>\nCapital: $1,000.00\nSymbols: BTC/USDT, ETH/USDT\nAnalysts: ${escaped}`,
    );
    expect(render({ ...events.risk_rejected, reasons: [HOSTILE] })).toContain(`• ${escaped}`);
  });
});
