// Crash anywhere and exchange faults again, on the Bybit stand-in: the same kills and the same random faults (in
// Bybit's own refusals: retCode 10006 and 10016, HTTP 403 and 503), through ccxt's bybit client, Bybit's order and
// conditional-order shapes and its private order stream. The quick form is short (two kills, twenty simulated
// minutes of faults) so CI's soak keeps within its time; the full form is longer.
import { crashAnywhereOn } from './crash-anywhere.js';
import { exchangeFaultsOn } from './exchange-faults.js';

const MINUTE = 60_000;

export const crashAnywhereBybit = crashAnywhereOn({
  name: 'crash-anywhere-bybit',
  title: 'Crash anywhere on Bybit (kill -9 and restart)',
  venue: 'bybit',
  // The entry the venue booked but the daemon never heard of, and the stop it never saw.
  quickPlans: [
    { kind: 'entry', delivery: 'delivered' },
    { kind: 'stop', delivery: 'dropped' },
  ],
  fullKills: 16,
});

export const exchangeFaultsBybit = exchangeFaultsOn({
  name: 'exchange-faults-bybit',
  title: 'Exchange faults on Bybit (20% of requests fail)',
  venue: 'bybit',
  quickMs: 20 * MINUTE,
  fullMs: 6 * 60 * MINUTE,
});
