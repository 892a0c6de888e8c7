// Reads the owner's economic calendar: a CSV (time_utc,kind,title) or an ICS file. A line or event that cannot be read
// stops the start with its line number or summary, rather than silently dropping an event the owner meant to sit out.
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CalendarEvent } from '../../domain/calendar.js';
import { CalendarFileError } from './calendar-file-error.js';
import { parseCalendarIcs } from './ics-calendar.js';

export { CalendarFileError } from './calendar-file-error.js';
export { parseCalendarIcs } from './ics-calendar.js';

const UTC_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?Z$/;

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
