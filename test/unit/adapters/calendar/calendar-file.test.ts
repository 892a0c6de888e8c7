import { describe, expect, it } from 'vitest';
import { CalendarFileError, parseCalendar, readCalendarFile, readConfiguredCalendar } from '../../../../src/adapters/calendar/calendar-file.js';

describe('the calendar file', () => {
  it('reads the CSV with its header, comments and a title holding commas', () => {
    const events = parseCalendar('# a comment\ntime_utc,kind,title\n\n2026-01-13T13:30Z,CPI,Consumer Price Index, December\n', 'events.csv');
    expect(events).toEqual([{ time: new Date('2026-01-13T13:30:00Z'), kind: 'CPI', title: 'Consumer Price Index, December' }]);
  });

  it('when a time is not UTC, then the error names the file and the line', () => {
    expect(() => parseCalendar('time_utc,kind,title\n2026-01-13 08:30,CPI,x\n', 'events.csv')).toThrow(CalendarFileError);
    expect(() => parseCalendar('time_utc,kind,title\n2026-01-13 08:30,CPI,x\n', 'events.csv')).toThrow(/events\.csv line 2/);
  });

  it('reads an ICS file: a time zone it defines, the category as the kind', () => {
    const ics = [
      'BEGIN:VCALENDAR',
      'VERSION:2.0',
      'PRODID:-//test//EN',
      'BEGIN:VTIMEZONE',
      'TZID:America/New_York',
      'BEGIN:DAYLIGHT',
      'TZOFFSETFROM:-0500',
      'TZOFFSETTO:-0400',
      'DTSTART:20070311T020000',
      'RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=2SU',
      'END:DAYLIGHT',
      'BEGIN:STANDARD',
      'TZOFFSETFROM:-0400',
      'TZOFFSETTO:-0500',
      'DTSTART:20071104T020000',
      'RRULE:FREQ=YEARLY;BYMONTH=11;BYDAY=1SU',
      'END:STANDARD',
      'END:VTIMEZONE',
      'BEGIN:VEVENT',
      'UID:fomc-2026-06',
      'DTSTAMP:20260101T000000Z',
      'DTSTART;TZID=America/New_York:20260617T140000',
      'SUMMARY:FOMC statement',
      'CATEGORIES:FOMC',
      'END:VEVENT',
      'BEGIN:VEVENT',
      'UID:nfp',
      'DTSTAMP:20260101T000000Z',
      'DTSTART:20260206T133000Z',
      'SUMMARY:NFP January',
      'END:VEVENT',
      'END:VCALENDAR',
    ].join('\r\n');
    expect(parseCalendar(ics, 'events.ics')).toEqual([
      { time: new Date('2026-02-06T13:30:00Z'), kind: 'NFP', title: 'NFP January' },
      { time: new Date('2026-06-17T18:00:00Z'), kind: 'FOMC', title: 'FOMC statement' },
    ]);
  });

  it('the bundled file lists the FOMC statements, at 18:00 UTC in US summer time and 19:00 UTC in winter', async () => {
    // Unset CALENDAR_FILE: the bundled file, found from the installation rather than the working directory.
    const events = await readConfiguredCalendar(undefined);
    const times = events.map((e) => e.time.toISOString());
    expect(times).toContain('2025-09-17T18:00:00.000Z');
    expect(times).toContain('2026-01-28T19:00:00.000Z');
    expect(times).toContain('2027-12-08T19:00:00.000Z');
    expect(events.filter((e) => e.kind === 'FOMC')).toHaveLength(24);
  });

  it('when the file is missing, then the error names the variable and the path', async () => {
    await expect(readCalendarFile('calendar/nope.csv')).rejects.toThrow(/CALENDAR_FILE: cannot read calendar\/nope\.csv/);
  });
});
