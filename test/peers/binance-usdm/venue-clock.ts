// A Clock for tests against the fake venue: `now` is the venue's (historical) instant, `sleep` waits real time so
// polling and backoff run as they would live, only with short intervals.
import type { Clock } from '../../../src/ports/clock.js';
import { pause } from '../../support/pause.js';
/** Any local venue with a clock (Binance, Bybit and Hyperliquid stand-ins alike). */
export function venueClock(venue: { now(): number }): Clock {
  return {
    now: () => new Date(venue.now()),
    sleep: (ms, signal) => pause(ms, signal),
  };
}
