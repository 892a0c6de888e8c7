// Reads the owner's economic calendar: a CSV (time_utc,kind,title) or an ICS file. A line that cannot be read stops
// the start with its line number, rather than silently dropping an event the owner meant to sit out.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ICAL from 'ical.js';
import type { CalendarEvent } from '../../domain/calendar.js';

const UTC_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?Z$/;

export class CalendarFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CalendarFileError';
  }
}

/** CSV: `time_utc,kind,title`, a header line, `#` comments and blank lines allowed; the title may hold commas. */
export function parseCalendarCsv(text: string, source = 'calendar'): CalendarEvent[] {
  const events: CalendarEvent[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((raw, index) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#') || /^time_utc\s*,/i.test(line)) return;
    const [time = '', kind = '', ...title] = line.split(',').map((cell) => cell.trim());
    const where = `${source} line ${index + 1}`;
    if (!UTC_TIME.test(time) || Number.isNaN(Date.parse(time))) {
      throw new CalendarFileError(`${where}: "${time}" is not a UTC time like 2026-01-28T19:00Z`);
    }
    if (kind === '') throw new CalendarFileError(`${where}: the kind (e.g. FOMC, CPI, NFP) is missing`);
    events.push({ time: new Date(time), kind, title: title.join(', ') || kind });
  });
  return events;
}

/**
 * ICS: each VEVENT's start, its first CATEGORIES value (or the summary's first word) as the kind, and its summary as
 * the title. Time zones the file defines are used; a repeating event counts at its first occurrence only.
 */
export function parseCalendarIcs(text: string, source = 'calendar'): CalendarEvent[] {
  let root: ICAL.Component;
  try {
    root = new ICAL.Component(ICAL.parse(text));
  } catch (error) {
    throw new CalendarFileError(`${source}: not a readable ICS file (${(error as Error).message})`);
  }
  for (const zone of root.getAllSubcomponents('vtimezone')) ICAL.TimezoneService.register(zone);
  return root.getAllSubcomponents('vevent').map((component) => {
    const event = new ICAL.Event(component);
    if (!event.startDate) throw new CalendarFileError(`${source}: the event "${event.summary}" has no start (DTSTART)`);
    const category = component.getFirstPropertyValue('categories');
    const title = event.summary ?? '';
    const kind = (typeof category === 'string' && category.trim()) || title.split(/\s+/)[0] || 'EVENT';
    return { time: event.startDate.toJSDate(), kind, title: title || kind };
  });
}

export function parseCalendar(text: string, source: string): CalendarEvent[] {
  const ics = /\.ics$/i.test(source) || text.trimStart().toUpperCase().startsWith('BEGIN:VCALENDAR');
  const events = ics ? parseCalendarIcs(text, source) : parseCalendarCsv(text, source);
  return events.sort((a, b) => a.time.getTime() - b.time.getTime());
}

export async function readCalendarFile(path: string): Promise<CalendarEvent[]> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new CalendarFileError(`CALENDAR_FILE: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  return parseCalendar(text, path);
}

const BUNDLED_RELATIVE = join('calendar', 'economic-events.csv');

/** The calendar shipped with the daemon, found from this module's place (source tree, build or image), not the cwd. */
export function bundledCalendarFile(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, BUNDLED_RELATIVE);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) throw new CalendarFileError(`the bundled ${BUNDLED_RELATIVE} is missing from the installation; set CALENDAR_FILE`);
    dir = parent;
  }
}

/** CALENDAR_FILE when set, the bundled calendar otherwise. */
export function readConfiguredCalendar(file: string | undefined): Promise<CalendarEvent[]> {
  return readCalendarFile(file ?? bundledCalendarFile());
}
