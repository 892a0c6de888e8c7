// After an outage the daily and weekly summaries of every period that ended while the daemon was down go out, oldest
// first, up to the latest week of days and month of weeks.
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../src/adapters/clock/index.js';
import { CapitalFooting } from '../../../src/engine/capital-footing.js';
import type { EngineContext } from '../../../src/engine/engine-context.js';
import { SummaryService } from '../../../src/engine/summaries.js';
import { InMemoryStore } from '../../../src/testing/in-memory-store.js';
import { RecordingNotifier } from '../../../src/testing/recording-notifier.js';

function summaries(start: string) {
  const clock = new ManualClock(new Date(start));
  const notifier = new RecordingNotifier();
  const ctx = {
    clock,
    store: new InMemoryStore(),
    notifier,
    exchange: { balance: async () => ({ total: 1000, available: 1000, currency: 'USDT' }) },
    settings: {},
  } as unknown as EngineContext;
  const service = new SummaryService(ctx, new CapitalFooting(ctx));
  const days = () => notifier.ofType('daily_summary').map((event) => event.summary.from.toISOString().slice(0, 10));
  const weeks = () => notifier.ofType('weekly_summary').map((event) => event.summary.from.toISOString().slice(0, 10));
  return { clock, service, days, weeks };
}

describe('summaries after an outage', () => {
  it('down from Tuesday evening to Friday morning: the summaries of Tuesday, Wednesday and Thursday go out, once', async () => {
    const { clock, service, days } = summaries('2025-10-07T18:00:00Z');
    await service.sendDue(); // the first run marks today

    clock.advanceTo(new Date('2025-10-10T06:00:00Z'));
    await service.sendDue();
    await service.sendDue();

    expect(days()).toEqual(['2025-10-07', '2025-10-08', '2025-10-09']);
  });

  it('down for three weeks: the last seven days and the three weeks that ended, oldest first', async () => {
    const { clock, service, days, weeks } = summaries('2025-10-07T18:00:00Z'); // a Tuesday
    await service.sendDue();

    clock.advanceTo(new Date('2025-10-29T09:00:00Z')); // a Wednesday, three Mondays later
    await service.sendDue();

    expect(days()).toEqual(['2025-10-22', '2025-10-23', '2025-10-24', '2025-10-25', '2025-10-26', '2025-10-27', '2025-10-28']);
    expect(weeks()).toEqual(['2025-10-06', '2025-10-13', '2025-10-20']);
  });

  it('a day that has not ended gets no summary', async () => {
    const { clock, service, days, weeks } = summaries('2025-10-07T00:00:00Z');
    await service.sendDue();

    clock.advanceTo(new Date('2025-10-07T23:59:59Z'));
    await service.sendDue();

    expect([...days(), ...weeks()]).toEqual([]);
  });
});
