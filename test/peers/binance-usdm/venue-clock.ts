// A Clock for tests against the fake venue: `now` is the venue's (historical) instant, `sleep` waits real time so
// polling and backoff run as they would live, only with short intervals.
import type { Clock } from '../../../src/ports/clock.js';
import { pause } from '../../support/pause.js';
import type { FakeBinance } from './server.js';

export function venueClock(venue: FakeBinance): Clock {
  return {
    now: () => new Date(venue.now()),
    sleep: (ms, signal) => pause(ms, signal),
  };
}
