// More markets than the data has: its real series reused in turn under new names (BTC, ETH, …, then BTC2, ETH2, …).
// The engine treats each name as a market of its own with real candles. The copies get candle memory of their own,
// so a measurement of memory holds what that many distinct markets would.
import type { CandleSeries, MarketHistory, ReplayHistory } from '../src/adapters/market-data/replay/index.js';
import { replayHistory } from '../src/adapters/market-data/replay/index.js';

const copied = (candles: CandleSeries): CandleSeries => candles.copy();

function renamed(source: MarketHistory, copy: number): MarketHistory {
  const base = `${source.spec.base}${copy + 1}`;
  return {
    spec: { ...source.spec, base, symbol: `${base}/${source.spec.quote}:USDT`, id: `${base}${source.spec.quote}` },
    candles: { '15m': copied(source.candles['15m']), '1h': copied(source.candles['1h']), '4h': copied(source.candles['4h']) },
    funding: source.funding.map((row) => ({ ...row })),
    minutes: copied(source.minutes),
    mark: source.mark ? { ...source.mark, candles: copied(source.mark.candles) } : undefined,
  };
}

export function reusedHistory(history: ReplayHistory, count: number): { history: ReplayHistory; symbols: string[] } {
  const originals = [...history.markets.values()];
  const markets = Array.from({ length: count }, (_, index) => {
    const source = originals[index % originals.length]!;
    const copy = Math.floor(index / originals.length);
    return copy === 0 ? source : renamed(source, copy);
  });
  return { history: replayHistory(markets), symbols: markets.map((market) => market.spec.symbol) };
}
