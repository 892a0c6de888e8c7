import { describe, expect, it } from 'vitest';
import { activeBlackout, DEFAULT_BLACKOUT, upcomingEvents } from '../../../src/domain/calendar.js';

const fomc = { time: new Date('2025-06-18T18:00:00Z'), kind: 'FOMC', title: 'FOMC statement' };
const minute = 60_000;
const at = (offsetMinutes: number) => new Date(fomc.time.getTime() + offsetMinutes * minute);

describe('calendar blackout', () => {
  it('starts 30 minutes before the event and ends 60 minutes after it, both ends included', () => {
    expect(activeBlackout([fomc], at(-30.01), DEFAULT_BLACKOUT)).toBeUndefined();
    expect(activeBlackout([fomc], at(-30), DEFAULT_BLACKOUT)?.event).toBe(fomc);
    expect(activeBlackout([fomc], at(60), DEFAULT_BLACKOUT)?.until).toEqual(at(60));
    expect(activeBlackout([fomc], at(60.01), DEFAULT_BLACKOUT)).toBeUndefined();
  });

  it('lists the events whose blackout has not ended, soonest first', () => {
    const cpi = { time: new Date('2025-07-15T12:30:00Z'), kind: 'CPI', title: 'CPI' };
    expect(upcomingEvents([cpi, fomc], at(59), DEFAULT_BLACKOUT, 5)).toEqual([fomc, cpi]);
    expect(upcomingEvents([cpi, fomc], at(61), DEFAULT_BLACKOUT, 5)).toEqual([cpi]);
  });
});
