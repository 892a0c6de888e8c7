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

export class MarketHistory {
  readonly exchangeInfo: ExchangeInfo;
  private readonly candles = new Map<string, CandleRow[]>();
  private readonly markHours = new Map<string, CandleRow[]>();
  private readonly funding = new Map<string, FundingRow[]>();

  constructor(dir: string = HISTORY_DIR) {
    this.exchangeInfo = JSON.parse(readFileSync(join(dir, 'exchangeInfo.json'), 'utf8')) as ExchangeInfo;
    for (const info of this.exchangeInfo.symbols) {
      const rows = readCsv(join(dir, 'klines', `${info.symbol}-15m.csv`)).map(candleRow);
      this.candles.set(info.symbol, rows);
      this.markHours.set(info.symbol, readCsv(join(dir, 'markPriceKlines', `${info.symbol}-1h.csv`)).map(candleRow));
      const funding = readCsv(join(dir, 'fundingRate', `${info.symbol}-fundingRate.csv`)).map(
        ([t, , rate]): FundingRow => ({ time: Number(t), rate: Number(rate) }),
      );
      this.funding.set(info.symbol, funding);
    }
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
