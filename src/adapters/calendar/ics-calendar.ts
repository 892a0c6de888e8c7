// Reads an ICS calendar so that every event lands at its UTC instant, or the start stops naming the event: a blackout
// read at the wrong hour would let trading run through the release it was meant to sit out.
import ICAL from 'ical.js';
import type { CalendarEvent } from '../../domain/calendar.js';
import { DAY_MS } from '../../domain/time.js';
import { CalendarFileError } from './calendar-file-error.js';
import { isKnownZone, utcInstantOf } from './zoned-time.js';

/** Every event is checked against the whole calendar at each scan, so one repeating event may not flood it. */
const MAX_OCCURRENCES = 1000;
const GIVE_A_ZONE = 'give it in UTC (e.g. DTSTART:20260128T190000Z) or with an IANA zone (e.g. DTSTART;TZID=America/New_York:20260128T140000)';

/** Where a problem is, for its message: the file, the event's summary and start, and the line at fault if another. */
type Where = (property?: ICAL.Property) => string;

const tzidOf = (property: ICAL.Property): string | undefined => {
  const tzid = property.getParameter('tzid');
  return typeof tzid === 'string' && tzid !== '' ? tzid : undefined;
};

/** The wall-clock fields as one number, to compare times of one zone without placing them on the UTC line. */
const wallMs = (time: ICAL.Time): number => Date.UTC(time.year, time.month - 1, time.day, time.hour, time.minute, time.second);

/**
 * The UTC instant of a value. UTC and zones the file defines are placed by ical.js; ical.js reads a TZID the file does
 * not define as the host's local time, so that zone is placed here from its name instead.
 */
function instantOf(time: ICAL.Time, tzid: string | undefined, where: string): Date {
  if (time.isDate) throw new CalendarFileError(`${where}: an all-day date has no time of day; ${GIVE_A_ZONE}, at the hour of the release`);
  if (time.zone !== ICAL.Timezone.localTimezone) return time.toJSDate();
  if (tzid === undefined) throw new CalendarFileError(`${where}: the time has no time zone, so its hour is unknown; ${GIVE_A_ZONE}`);
  if (!isKnownZone(tzid)) {
    throw new CalendarFileError(`${where}: the time zone "${tzid}" is neither defined in the file (VTIMEZONE) nor an IANA zone name; ${GIVE_A_ZONE}`);
  }
  return utcInstantOf(time, tzid);
}

/** Whether an occurrence is one the event excludes (EXDATE): at that instant, or on that day for a date. */
function exclusions(component: ICAL.Component, startTzid: string | undefined, where: Where): (occurrence: ICAL.Time, instant: Date) => boolean {
  const instants = new Set<number>();
  const days = new Set<number>();
  for (const property of component.getAllProperties('exdate')) {
    for (const value of property.getValues() as ICAL.Time[]) {
      if (value.isDate) days.add(wallMs(value));
      else instants.add(instantOf(value, tzidOf(property) ?? startTzid, where(property)).getTime());
    }
  }
  return (occurrence, instant) =>
    instants.has(instant.getTime()) || days.has(Date.UTC(occurrence.year, occurrence.month - 1, occurrence.day));
}

/** Whether an occurrence comes after the rule's UNTIL: an instant when UTC, else a wall time (a date: its whole day). */
function pastUntil(until: ICAL.Time | null): (occurrence: ICAL.Time, instant: Date) => boolean {
  if (!until) return () => false;
  if (until.zone === ICAL.Timezone.utcTimezone && !until.isDate) {
    const last = until.toJSDate().getTime();
    return (_occurrence, instant) => instant.getTime() > last;
  }
  const last = wallMs(until) + (until.isDate ? DAY_MS - 1 : 0);
  return (occurrence) => wallMs(occurrence) > last;
}

/** The instants of one event: its start, and each repetition (RRULE) of it less its exclusions (EXDATE). */
function occurrencesOf(component: ICAL.Component, start: ICAL.Property, where: Where): Date[] {
  const startTime = start.getFirstValue() as ICAL.Time;
  const tzid = tzidOf(start);
  const first = instantOf(startTime, tzid, where());
  const extraDates = component.getFirstProperty('rdate');
  if (extraDates) throw new CalendarFileError(`${where(extraDates)}: extra dates (RDATE) are not read; list each date as an event of its own`);
  const rules = component.getAllProperties('rrule');
  if (rules.length === 0) return [first];
  const excluded = exclusions(component, tzid, where);
  const found = new Map<number, Date>();
  for (const property of rules) {
    const rule = property.getFirstValue() as ICAL.Recur;
    if (!rule.isFinite()) {
      throw new CalendarFileError(`${where(property)}: repeats without end; give the RRULE an UNTIL or a COUNT, or list the dates as events`);
    }
    // UNTIL is applied here on the placed instants: ical.js would compare it with the zone-less wall time.
    const after = pastUntil(rule.until);
    const open = rule.clone();
    open.until = null;
    const iterator = open.iterator(startTime);
    for (let occurrence = next(iterator, where(property)); occurrence; occurrence = next(iterator, where(property))) {
      const instant = instantOf(occurrence, tzid, where());
      if (after(occurrence, instant)) break;
      if (!excluded(occurrence, instant)) found.set(instant.getTime(), instant);
      if (found.size > MAX_OCCURRENCES) {
        throw new CalendarFileError(`${where(property)}: repeats more than ${MAX_OCCURRENCES} times; shorten it (UNTIL or COUNT) or split it`);
      }
    }
  }
  return [...found.values()];
}

function next(iterator: ICAL.RecurIterator, where: string): ICAL.Time | null {
  try {
    return iterator.next();
  } catch (error) {
    throw new CalendarFileError(`${where}: the repeat rule cannot be followed (${(error as Error).message})`);
  }
}

/** Events whose RECURRENCE-ID moves one occurrence of a repeating event (by UID) elsewhere: that occurrence is gone. */
function movedOccurrences(events: readonly ICAL.Component[], source: string): Map<string, Set<number>> {
  const moved = new Map<string, Set<number>>();
  for (const component of events) {
    const id = component.getFirstProperty('recurrence-id');
    const uid = component.getFirstPropertyValue('uid');
    if (!id || typeof uid !== 'string') continue;
    const where = `${source}: the event "${String(component.getFirstPropertyValue('summary') ?? '')}" (${id.toICALString()})`;
    const instant = instantOf(id.getFirstValue() as ICAL.Time, tzidOf(id), where);
    moved.set(uid, (moved.get(uid) ?? new Set()).add(instant.getTime()));
  }
  return moved;
}

/**
 * ICS: each VEVENT at each of its occurrences, its first CATEGORIES value (or the summary's first word) as the kind,
 * and its summary as the title. Times are UTC, in a zone the file defines (VTIMEZONE), or in a named IANA zone; a
 * floating time, an all-day date, an endless repetition or RDATE stops the start with the event's summary and start.
 */
export function parseCalendarIcs(text: string, source = 'calendar'): CalendarEvent[] {
  let root: ICAL.Component;
  try {
    root = new ICAL.Component(ICAL.parse(text));
  } catch (error) {
    throw new CalendarFileError(`${source}: not a readable ICS file (${(error as Error).message})`);
  }
  // Zones the file defines are looked up in its own tree, never registered process-wide, so one file's definitions
  // cannot place another file's times.
  const events = root.getAllSubcomponents('vevent');
  const moved = movedOccurrences(events, source);
  return events.flatMap((component) => {
    const category = component.getFirstPropertyValue('categories');
    const title = String(component.getFirstPropertyValue('summary') ?? '');
    const kind = (typeof category === 'string' && category.trim()) || title.split(/\s+/)[0] || 'EVENT';
    const start = component.getFirstProperty('dtstart');
    if (!start) throw new CalendarFileError(`${source}: the event "${title}" has no start (DTSTART)`);
    const where: Where = (property) =>
      `${source}: the event "${title}" (${start.toICALString()}${property ? `, ${property.toICALString()}` : ''})`;
    const uid = component.getFirstPropertyValue('uid');
    const gone = !component.hasProperty('recurrence-id') && typeof uid === 'string' ? moved.get(uid) : undefined;
    return occurrencesOf(component, start, where)
      .filter((time) => !gone?.has(time.getTime()))
      .map((time) => ({ time, kind, title: title || kind }));
  });
}
