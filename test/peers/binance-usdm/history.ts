// The recorded market the fake exchange replays: exchangeInfo, 15-minute candles, hourly mark-price candles and funding
// rates from history/.
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const HISTORY_DIR = join(dirname(fileURLToPath(import.meta.url)), '../../../history/binance-usdm');

export interface CandleRow {
  readonly openTime: number;
  readonly open: number;
  readonly high: number;
  readonly low: number;
  readonly close: number;
  readonly volume: number;
}

export interface FundingRow {
  readonly time: number;
  readonly rate: number;
}

export interface SymbolFilters {
  readonly tickSize: number;
  readonly stepSize: number;
  readonly minQty: number;
  readonly minNotional: number;
}

export interface ExchangeInfoSymbol {
  readonly symbol: string;
  readonly baseAsset: string;
  readonly filters: readonly Record<string, unknown>[];
  readonly [key: string]: unknown;
}

export interface ExchangeInfo {
  readonly symbols: readonly ExchangeInfoSymbol[];
  readonly [key: string]: unknown;
}

function readCsv(path: string): string[][] {
  if (!existsSync(path)) return [];
  const lines = readFileSync(path, 'utf8').trim().split('\n');
  return lines.slice(1).map((line) => line.split(','));
}

function candleRow([t, o, h, l, c, v]: string[]): CandleRow {
  return { openTime: Number(t), open: Number(o), high: Number(h), low: Number(l), close: Number(c), volume: Number(v) };
}

/** New listings, each the copy of a recorded perpetual with candles, until `marketCount` perpetuals have candles. */
function copiesOf(sources: readonly ExchangeInfoSymbol[], marketCount: number): { info: ExchangeInfoSymbol; copyOf: string }[] {
  const perpetuals = sources.filter((s) => s['contractType'] === 'PERPETUAL' && s['quoteAsset'] === 'USDT' && s['status'] === 'TRADING');
  const copies: { info: ExchangeInfoSymbol; copyOf: string }[] = [];
  for (let index = 0; perpetuals.length > 0 && perpetuals.length + copies.length < marketCount; index += 1) {
    const source = perpetuals[index % perpetuals.length] as ExchangeInfoSymbol;
    const base = `${source.baseAsset}${Math.floor(index / perpetuals.length) + 2}`;
    copies.push({ info: { ...source, symbol: `${base}USDT`, pair: `${base}USDT`, baseAsset: base }, copyOf: source.symbol });
  }
  return copies;
}

export class MarketHistory {
  readonly exchangeInfo: ExchangeInfo;
  private readonly candles = new Map<string, CandleRow[]>();
  private readonly markHours = new Map<string, CandleRow[]>();
  private readonly funding = new Map<string, FundingRow[]>();

  /**
   * `marketCount`: list at least this many USDT perpetuals with candles, the recorded ones reused in turn under new
   * names (BTC2USDT, ETH2USDT, …) with their real series, for scans of a venue-sized listing.
   */
  constructor(dir: string = HISTORY_DIR, marketCount = 0) {
    const recorded = JSON.parse(readFileSync(join(dir, 'exchangeInfo.json'), 'utf8')) as ExchangeInfo;
    for (const info of recorded.symbols) {
      const rows = readCsv(join(dir, 'klines', `${info.symbol}-15m.csv`)).map(candleRow);
      this.candles.set(info.symbol, rows);
      this.markHours.set(info.symbol, readCsv(join(dir, 'markPriceKlines', `${info.symbol}-1h.csv`)).map(candleRow));
      const funding = readCsv(join(dir, 'fundingRate', `${info.symbol}-fundingRate.csv`)).map(
        ([t, , rate]): FundingRow => ({ time: Number(t), rate: Number(rate) }),
      );
      this.funding.set(info.symbol, funding);
    }
    const copies = copiesOf(recorded.symbols.filter((info) => this.fifteenMinute(info.symbol).length > 0), marketCount);
    for (const { info, copyOf } of copies) {
      this.candles.set(info.symbol, this.candles.get(copyOf) ?? []);
      this.markHours.set(info.symbol, this.markHours.get(copyOf) ?? []);
      this.funding.set(info.symbol, this.funding.get(copyOf) ?? []);
    }
    this.exchangeInfo = { ...recorded, symbols: [...recorded.symbols, ...copies.map((copy) => copy.info)] };
  }

  symbolInfo(symbol: string): ExchangeInfoSymbol | undefined {
    return this.exchangeInfo.symbols.find((s) => s.symbol === symbol);
  }

  filters(symbol: string): SymbolFilters | undefined {
    const info = this.symbolInfo(symbol);
    if (!info) return undefined;
    const byType = new Map(info.filters.map((f) => [String(f['filterType']), f]));
    return {
      tickSize: Number(byType.get('PRICE_FILTER')?.['tickSize']),
      stepSize: Number(byType.get('LOT_SIZE')?.['stepSize']),
      minQty: Number(byType.get('LOT_SIZE')?.['minQty']),
      minNotional: Number(byType.get('MIN_NOTIONAL')?.['notional']),
    };
  }

  /** All recorded 15m candles of a symbol, oldest first (empty for symbols without history). */
  fifteenMinute(symbol: string): readonly CandleRow[] {
    return this.candles.get(symbol) ?? [];
  }

  /** All recorded hourly mark-price candles of a symbol, oldest first (empty without a recording). */
  markHourly(symbol: string): readonly CandleRow[] {
    return this.markHours.get(symbol) ?? [];
  }

  fundingRates(symbol: string): readonly FundingRow[] {
    return this.funding.get(symbol) ?? [];
  }
}
