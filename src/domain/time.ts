// Calendar helpers in UTC; the engine's day boundaries are UTC days.

export const MINUTE_MS = 60_000;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

/** `2025-10-10 09:05 UTC`: an instant as the owner reads it in a message. */
export function utcMinute(time: Date): string {
  return `${time.toISOString().slice(0, 16).replace('T', ' ')} UTC`;
}

/** `YYYY-MM-DD` of the UTC day containing `time`. */
export function utcDay(time: Date): string {
  return time.toISOString().slice(0, 10);
}

export function startOfUtcDay(time: Date): Date {
  return new Date(Math.floor(time.getTime() / DAY_MS) * DAY_MS);
}

export function nextUtcMidnight(time: Date): Date {
  return new Date(startOfUtcDay(time).getTime() + DAY_MS);
}

/** Monday 00:00 UTC of the week containing `time`. */
export function startOfUtcWeek(time: Date): Date {
  const day = startOfUtcDay(time);
  const weekday = (day.getUTCDay() + 6) % 7; // Monday = 0
  return new Date(day.getTime() - weekday * DAY_MS);
}

export function addMs(time: Date, ms: number): Date {
  return new Date(time.getTime() + ms);
}

export function startOfUtcMonth(time: Date): Date {
  return new Date(Date.UTC(time.getUTCFullYear(), time.getUTCMonth(), 1));
}

export function startOfNextUtcMonth(time: Date): Date {
  return new Date(Date.UTC(time.getUTCFullYear(), time.getUTCMonth() + 1, 1));
}

export function daysInUtcMonth(time: Date): number {
  return new Date(Date.UTC(time.getUTCFullYear(), time.getUTCMonth() + 1, 0)).getUTCDate();
}
