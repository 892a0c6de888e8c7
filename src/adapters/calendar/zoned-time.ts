// A wall-clock time in a named IANA zone, turned into its UTC instant with the zone rules Node ships (ICU), so daylight
// saving time is right in every year without an offset table of our own.
import { DAY_MS } from '../../domain/time.js';

export interface WallTime {
  readonly year: number;
  /** 1 to 12. */
  readonly month: number;
  readonly day: number;
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The zone's formatter, or undefined when Node does not know the zone name. */
function formatterOf(zone: string): Intl.DateTimeFormat | undefined {
  let formatter = formatters.get(zone);
  if (!formatter) {
    try {
      formatter = new Intl.DateTimeFormat('en-US', {
        timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
      });
    } catch {
      return undefined;
    }
    formatters.set(zone, formatter);
  }
  return formatter;
}

export const isKnownZone = (zone: string): boolean => formatterOf(zone) !== undefined;

/** The zone's offset from UTC at an instant, in ms (east positive). */
function offsetAt(formatter: Intl.DateTimeFormat, instantMs: number): number {
  const parts = formatter.formatToParts(new Date(instantMs));
  const part = (type: Intl.DateTimeFormatPartTypes): number => Number(parts.find((p) => p.type === type)?.value);
  return Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second')) - instantMs;
}

/**
 * The UTC instant of a wall-clock time in `zone`, as RFC 5545 reads it: a time the clocks skip over (spring forward)
 * takes the offset from before the change, and a time they pass twice (fall back) is the first of the two.
 */
export function utcInstantOf(wall: WallTime, zone: string): Date {
  const formatter = formatterOf(zone);
  if (!formatter) throw new RangeError(`unknown time zone "${zone}"`);
  const asUtc = Date.UTC(wall.year, wall.month - 1, wall.day, wall.hour, wall.minute, wall.second);
  // Zones change their offset at most once within a day, so the offsets a day before and after are the only candidates.
  const before = asUtc - offsetAt(formatter, asUtc - DAY_MS);
  const after = asUtc - offsetAt(formatter, asUtc + DAY_MS);
  const fits = [before, after].filter((instant) => instant + offsetAt(formatter, instant) === asUtc);
  return new Date(fits.length > 0 ? Math.min(...fits) : before);
}
