// Economic-calendar blackout: no new entries from some minutes before a high-impact event (FOMC, CPI, NFP) to some
// minutes after it. The events come from a file the owner edits; this rule only reads them and the clock.

export interface CalendarEvent {
  readonly time: Date;
  /** Short kind, e.g. FOMC, CPI, NFP. */
  readonly kind: string;
  readonly title: string;
}

export interface BlackoutSettings {
  readonly beforeMs: number;
  readonly afterMs: number;
}

export const DEFAULT_BLACKOUT: BlackoutSettings = { beforeMs: 30 * 60_000, afterMs: 60 * 60_000 };

export interface Blackout {
  readonly event: CalendarEvent;
  readonly from: Date;
  readonly until: Date;
}

export function blackoutOf(event: CalendarEvent, settings: BlackoutSettings): Blackout {
  return { event, from: new Date(event.time.getTime() - settings.beforeMs), until: new Date(event.time.getTime() + settings.afterMs) };
}

/** The blackout `now` falls in (the one lasting longest when they overlap), if any. The window includes both ends. */
export function activeBlackout(events: readonly CalendarEvent[], now: Date, settings: BlackoutSettings): Blackout | undefined {
  const t = now.getTime();
  let found: Blackout | undefined;
  for (const event of events) {
    // Asked at every scan against the whole calendar: the window is built only for an event whose window holds now.
    const time = event.time.getTime();
    if (t < time - settings.beforeMs || t > time + settings.afterMs) continue;
    const blackout = blackoutOf(event, settings);
    if (!found || blackout.until > found.until) found = blackout;
  }
  return found;
}

/** Events whose blackout has not ended yet, soonest first. */
export function upcomingEvents(events: readonly CalendarEvent[], now: Date, settings: BlackoutSettings, limit: number): CalendarEvent[] {
  return events
    .filter((event) => event.time.getTime() + settings.afterMs >= now.getTime())
    .sort((a, b) => a.time.getTime() - b.time.getTime())
    .slice(0, limit);
}
