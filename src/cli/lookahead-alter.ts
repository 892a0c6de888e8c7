// Copies of a replay's history with everything after an instant changed, for the look-ahead check: what the daemon
// did before that instant must not change with them. What had happened by the cut stays as it was: every candle
// closed by then, the open of the candle still forming (its high, low and close do not exist yet, so they change), and
// every funding settlement up to and at the cut (settled at the cut, it is charged and read at that instant).
import { marketHistory, replayHistory, type FundingRow, type MarketHistory, type ReplayHistory } from '../adapters/market-data/replay/index.js';
import type { Candle } from '../domain/market.js';
import { TIMEFRAME_MS } from '../domain/market.js';
import { seededRandom } from '../domain/seeded-random.js';
import { MINUTE_MS } from '../domain/time.js';

/** `perturb`: rows after the cut keep their times with other prices, volumes and rates; `remove`: they are gone. */
export type Alteration = 'perturb' | 'remove';

/** The history with everything after `cut` (epoch ms) altered; `seed` makes the new values repeatable. */
export function alteredAfter(history: ReplayHistory, cut: number, how: Alteration, seed: number): ReplayHistory {
  const random = seededRandom(seed);
  const markets = [...history.markets.values()].map((market) => alterMarket(market, cut, how, random));
  return replayHistory(markets);
}

function alterMarket(market: MarketHistory, cut: number, how: Alteration, random: () => number): MarketHistory {
  const quarters = alterSeries(market.candles['15m'], TIMEFRAME_MS['15m'], cut, how, random);
  const minutes = alterSeries(market.minutes, MINUTE_MS, cut, how, random);
  const mark = market.mark && { intervalMs: market.mark.intervalMs, candles: alterSeries(market.mark.candles, market.mark.intervalMs, cut, how, random) };
  const funding = alterFunding(market.funding, cut, how, random);
  return marketHistory(market.spec, quarters, funding, { minutes, ...(mark ? { mark } : {}) });
}

function alterSeries(candles: Iterable<Candle>, intervalMs: number, cut: number, how: Alteration, random: () => number): Candle[] {
  const result: Candle[] = [];
  for (const candle of candles) {
    const close = candle.openTime + intervalMs;
    if (close <= cut) result.push(candle);
    else if (candle.openTime < cut) result.push(formingAt(candle, random));
    else if (how === 'perturb') result.push(scaled(candle, 1 + (random() - 0.5) * 0.3, random));
  }
  return result;
}

/** The candle forming at the cut: its open was printed before it, the rest is drawn anew (up to ±15%). */
function formingAt(candle: Candle, random: () => number): Candle {
  const close = candle.open * (1 + (random() - 0.5) * 0.3);
  const high = Math.max(candle.open, close) * (1 + random() * 0.05);
  const low = Math.min(candle.open, close) * (1 - random() * 0.05);
  return { openTime: candle.openTime, open: candle.open, high, low, close, volume: candle.volume * (0.5 + random()) };
}

function scaled(candle: Candle, factor: number, random: () => number): Candle {
  const { openTime, open, high, low, close, volume } = candle;
  return { openTime, open: open * factor, high: high * factor, low: low * factor, close: close * factor, volume: volume * (0.5 + random()) };
}

function alterFunding(rows: readonly FundingRow[], cut: number, how: Alteration, random: () => number): FundingRow[] {
  const kept = rows.filter((row) => row.time <= cut);
  if (how === 'remove') return kept;
  const changed = rows.filter((row) => row.time > cut).map((row) => ({ ...row, rate: (random() - 0.5) * 0.004 }));
  return [...kept, ...changed];
}

