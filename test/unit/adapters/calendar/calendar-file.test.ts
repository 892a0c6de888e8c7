import { afterEach, describe, expect, it, vi } from 'vitest';
import { CalendarFileError, parseCalendar, readCalendarFile, readConfiguredCalendar } from '../../../../src/adapters/calendar/calendar-file.js';

/** An ICS file of the given VEVENT bodies, with no VTIMEZONE, as many exporters write it. */
const icsOf = (...events: string[][]): string =>
  ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN', ...events.flatMap((lines, i) => ['BEGIN:VEVENT', `UID:event-${i}`, 'DTSTAMP:20260101T000000Z', ...lines, 'END:VEVENT']), 'END:VCALENDAR'].join('\r\n');

/** The ICS file with a VTIMEZONE block (its lines) before the first event. */
const withTimezone = (ics: string, zone: string[]): string => ics.replace('BEGIN:VEVENT', [...zone, 'BEGIN:VEVENT'].join('\r\n'));

const timesOf = (ics: string): string[] => parseCalendar(ics, 'events.ics').map((event) => event.time.toISOString());

describe('the calendar file', () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

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

  it('reads a TZID the file does not define from the IANA zone: 2 pm New York is 19:00 UTC in winter, 18:00 UTC in summer', () => {
    // Another file's own (wrong, fixed) America/New_York places that file's event, and no other file's.
    const fixed = ['BEGIN:VTIMEZONE', 'TZID:America/New_York', 'BEGIN:STANDARD', 'TZOFFSETFROM:-0300', 'TZOFFSETTO:-0300', 'DTSTART:19700101T000000', 'END:STANDARD', 'END:VTIMEZONE'];
    expect(timesOf(withTimezone(icsOf(['DTSTART;TZID=America/New_York:20260128T140000', 'SUMMARY:x']), fixed))).toEqual(['2026-01-28T17:00:00.000Z']);
    const ics = icsOf(
      ['DTSTART;TZID=America/New_York:20260128T140000', 'SUMMARY:FOMC statement', 'CATEGORIES:FOMC'],
      ['DTSTART;TZID=America/New_York:20260617T140000', 'SUMMARY:FOMC statement and projections', 'CATEGORIES:FOMC'],
    );
    expect(parseCalendar(ics, 'events.ics')).toEqual([
      { time: new Date('2026-01-28T19:00:00Z'), kind: 'FOMC', title: 'FOMC statement' },
      { time: new Date('2026-06-17T18:00:00Z'), kind: 'FOMC', title: 'FOMC statement and projections' },
    ]);
  });

  it('the host\'s time zone does not move an event, with or without the VTIMEZONE', () => {
    vi.stubEnv('TZ', 'Asia/Tokyo');
    expect(new Date(2026, 0, 28, 14).toISOString()).toBe('2026-01-28T05:00:00.000Z');
    expect(timesOf(icsOf(['DTSTART;TZID=Europe/Berlin:20260128T140000', 'SUMMARY:ECB press conference']))).toEqual(['2026-01-28T13:00:00.000Z']);
    const eastern = [
      'BEGIN:VTIMEZONE', 'TZID:Eastern Standard Time',
      'BEGIN:STANDARD', 'TZOFFSETFROM:-0400', 'TZOFFSETTO:-0500', 'DTSTART:16011104T020000', 'RRULE:FREQ=YEARLY;BYDAY=1SU;BYMONTH=11', 'END:STANDARD',
      'BEGIN:DAYLIGHT', 'TZOFFSETFROM:-0500', 'TZOFFSETTO:-0400', 'DTSTART:16010311T020000', 'RRULE:FREQ=YEARLY;BYDAY=2SU;BYMONTH=3', 'END:DAYLIGHT',
      'END:VTIMEZONE',
    ];
    const outlook = withTimezone(icsOf(['DTSTART;TZID=Eastern Standard Time:20260128T140000', 'SUMMARY:FOMC statement']), eastern);
    expect(timesOf(outlook)).toEqual(['2026-01-28T19:00:00.000Z']);
  });

  it('a time the clocks skip takes the offset from before the change, a time they pass twice is the first', () => {
    const ics = icsOf(['DTSTART;TZID=America/New_York:20260308T023000', 'SUMMARY:gap'], ['DTSTART;TZID=America/New_York:20261101T013000', 'SUMMARY:overlap']);
    expect(timesOf(ics)).toEqual(['2026-03-08T07:30:00.000Z', '2026-11-01T05:30:00.000Z']);
  });

  it('when a time has no zone, or an event is all-day, or the zone is unknown, then the start stops naming the event and asking for UTC or a TZID', () => {
    const floating = icsOf(['DTSTART:20260113T083000', 'SUMMARY:CPI December']);
    expect(() => parseCalendar(floating, 'events.ics')).toThrow(CalendarFileError);
    expect(() => parseCalendar(floating, 'events.ics')).toThrow(/events\.ics: the event "CPI December" \(DTSTART:20260113T083000\): .*UTC .*TZID/);
    const allDay = icsOf(['DTSTART;VALUE=DATE:20260128', 'SUMMARY:FOMC statement']);
    expect(() => parseCalendar(allDay, 'events.ics')).toThrow(/the event "FOMC statement" \(DTSTART;VALUE=DATE:20260128\): an all-day date.*UTC .*TZID/);
    const unknown = icsOf(['DTSTART;TZID=Eastern Standard Time:20260128T140000', 'SUMMARY:FOMC statement']);
    expect(() => parseCalendar(unknown, 'events.ics')).toThrow(/the event "FOMC statement" \(DTSTART;TZID=Eastern Standard Time:20260128T140000\): the time zone "Eastern Standard Time" is neither/);
  });

  it('a weekly event counts at each occurrence, in its zone across the change to summer time, less EXDATE and up to UNTIL', () => {
    const ics = icsOf([
      'DTSTART;TZID=America/New_York:20260225T140000',
      'RRULE:FREQ=WEEKLY;UNTIL=20260318T180000Z',
      'EXDATE;TZID=America/New_York:20260304T140000',
      'SUMMARY:Weekly desk call',
    ]);
    expect(timesOf(ics)).toEqual(['2026-02-25T19:00:00.000Z', '2026-03-11T18:00:00.000Z', '2026-03-18T18:00:00.000Z']);
    // East of UTC the zone-less wall time runs ahead of the instant: UNTIL at the last occurrence still keeps it.
    const tokyo = icsOf(['DTSTART;TZID=Asia/Tokyo:20260105T090000', 'RRULE:FREQ=DAILY;UNTIL=20260107T000000Z', 'SUMMARY:BoJ']);
    expect(timesOf(tokyo)).toEqual(['2026-01-05T00:00:00.000Z', '2026-01-06T00:00:00.000Z', '2026-01-07T00:00:00.000Z']);
  });

  it('a moved occurrence (RECURRENCE-ID) counts at its new time only; COUNT limits the repeats', () => {
    const ics = [
      'BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//test//EN',
      'BEGIN:VEVENT', 'UID:call', 'DTSTART:20260105T150000Z', 'RRULE:FREQ=DAILY;COUNT=3', 'SUMMARY:Call', 'END:VEVENT',
      'BEGIN:VEVENT', 'UID:call', 'RECURRENCE-ID:20260106T150000Z', 'DTSTART:20260106T170000Z', 'SUMMARY:Call', 'END:VEVENT',
      'END:VCALENDAR',
    ].join('\r\n');
    expect(timesOf(ics)).toEqual(['2026-01-05T15:00:00.000Z', '2026-01-06T17:00:00.000Z', '2026-01-07T15:00:00.000Z']);
  });

  it('when an event repeats without end, or with RDATE, or too often, then the start stops naming it', () => {
    const endless = icsOf(['DTSTART:20260105T150000Z', 'RRULE:FREQ=WEEKLY', 'SUMMARY:Weekly call']);
    expect(() => parseCalendar(endless, 'events.ics')).toThrow(/the event "Weekly call" \(DTSTART:20260105T150000Z, RRULE:FREQ=WEEKLY\): repeats without end; .*UNTIL or a COUNT/);
    const extra = icsOf(['DTSTART:20260105T150000Z', 'RDATE:20260210T150000Z', 'SUMMARY:Call']);
    expect(() => parseCalendar(extra, 'events.ics')).toThrow(/the event "Call" \(DTSTART:20260105T150000Z, RDATE:20260210T150000Z\): extra dates \(RDATE\)/);
    const flood = icsOf(['DTSTART:20260105T150000Z', 'RRULE:FREQ=HOURLY;COUNT=5000', 'SUMMARY:Hourly']);
    expect(() => parseCalendar(flood, 'events.ics')).toThrow(/the event "Hourly" .*: repeats more than 1000 times/);
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
