// The fake Binance USDⓈ-M venue for integration tests; see README.md in this folder.
export {
  DEFAULT_VENUE_NOW,
  TEST_API_KEY,
  TEST_SECRET,
  startFakeBinance,
  type FakeBinance,
  type FakeBinanceOptions,
  type RecordedRequest,
  type RequestListener,
} from './server.js';
export type { BookOrder, ClientIdScope } from './account-book.js';
export type { DelayRule, DropRule, FailRule, RewriteRule } from './faults.js';
export type { MarketReplayOptions } from './market-replay.js';
export { RANDOM_FAULT_KINDS, type InjectedFault, type RandomFaultKind, type RandomFaultOptions } from './random-faults.js';
export type { CandleRow } from './history.js';
export type { ApiRestrictions } from './venue-state.js';
export { venueClock } from './venue-clock.js';
export { IP_WEIGHT_PER_MINUTE, requestWeight } from './request-weight.js';
