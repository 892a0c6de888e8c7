import { describe, expect, it } from 'vitest';
import { renderCalendarReply, renderRiskReply } from '../../../../src/adapters/notifier/render/risk-replies.js';
import type { RiskOverview } from '../../../../src/ports/control.js';

const fomc = {
  time: new Date('2025-10-29T18:00:00Z'),
  kind: 'FOMC',
  title: 'FOMC statement',
  blackoutFrom: new Date('2025-10-29T17:30:00Z'),
  blackoutUntil: new Date('2025-10-29T19:00:00Z'),
};

const calm: RiskOverview = {
  now: new Date('2025-10-10T21:25:00Z'),
  blocking: [],
  manualPause: false,
  consecutiveLosses: 2,
  maxConsecutiveLosses: 3,
  realizedToday: -4.5,
  dailyLossLimit: 10,
  equity: 95,
  peakEquity: 100,
  drawdown: 0.05,
  maxDrawdownPct: 0.25,
  drawdownTripped: false,
  capital: 100,
  openNotional: 150,
  maxTotalExposure: 4,
  openPositions: 1,
  maxOpenPositions: 2,
  nextBlackout: fomc,
};

describe('/risk', () => {
  it('shows each limit with what is left of it, the exposure and the next blackout', () => {
    const text = renderRiskReply(calm);
    expect(text).toContain('Entries: allowed');
    expect(text).toContain('Daily loss: -$4.50 today against a $10.00 limit · $5.50 left');
    expect(text).toContain('Losing streak: 2 of 3 · 1 left');
    // The breaker nets wins against losses, and so does what is left.
    expect(renderRiskReply({ ...calm, realizedToday: 5 })).toContain('Daily loss: +$5.00 today against a $10.00 limit · $15.00 left');
    const tripped = { ...calm, realizedToday: -7, blocking: [{ breaker: 'daily_loss' as const, detail: 'daily loss limit reached' }] };
    expect(renderRiskReply(tripped)).toContain('Daily loss: -$7.00 today against a $10.00 limit · $0.00 left');
    expect(text).toContain('Drawdown: 5.00% from the peak $100.00 (equity $95.00) · 20.00% left of 25%');
    expect(text).toContain('Exposure: $150.00 notional = 1.50x capital (cap 4x) · 1 of 2 positions');
    expect(text).toContain('Next blackout: 2025-10-29 18:00 UTC · <b>FOMC</b> FOMC statement · no entries 2025-10-29 17:30 UTC to 2025-10-29 19:00 UTC');
  });

  it('when the drawdown switch has tripped, it says so and how to lift it', () => {
    const text = renderRiskReply({
      ...calm,
      drawdown: 0.26,
      drawdownTripped: true,
      blocking: [{ breaker: 'drawdown', detail: 'account drawdown reached 25.0% from the peak of $100.00; /resume to trade again' }],
    });
    expect(text).toContain('Entries: <b>blocked</b> · account drawdown limit: account drawdown reached 25.0%');
    expect(text).toContain('<b>tripped</b>, /resume to trade again');
  });
});

describe('/calendar', () => {
  it('lists the events with their blackout windows, or says there are none', () => {
    expect(renderCalendarReply([fomc])).toContain('no entries 2025-10-29 17:30 UTC to 2025-10-29 19:00 UTC');
    expect(renderCalendarReply([])).toBe('No upcoming events in the calendar (CALENDAR_FILE).');
  });
});
