// The market snapshot as compact text for a language model. Every character is paid for on every call, so numbers
// are rounded to what a trader would read and each candle is one short line. The blind form (see blinding.ts) names
// no market and no date: candles are numbered back from the latest, and volumes are relative.
import type { IndicatorSet, MarketSnapshot, TimeframeView } from '../../../domain/analysis.js';
import type { Candle } from '../../../domain/market.js';
import { TIMEFRAMES } from '../../../domain/market.js';

/** How many closed candles per timeframe the model sees. */
export const CANDLES_PER_TIMEFRAME = 20;

const NOT_AVAILABLE = 'n/a';

/** Six significant digits: a price to the tick for majors, and enough for sub-dollar coins. */
export function formatPrice(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return NOT_AVAILABLE;
  return String(Number(value.toPrecision(6)));
}

/** Decimals of a blind price: steps of 0.01, a ten-thousandth of the start level (see formatBlindPrice). */
export const BLIND_PRICE_DECIMALS = 2;

/**
 * Blind prices in steps of 0.01, a ten-thousandth of the start level. Finer digits would keep the exchange's tick
 * grid, and a grid of 100/N gives away the start price as N ticks (DOGE's 0.00001 tick shows as a grid of 100/23282,
 * which is $0.23282). A tick of at most a ten-thousandth of the start price rescales to at most one step, so every
 * printed price lies within half a step of one of its multiples, and no printed price rules out any start price of
 * 10,000 ticks or more: true of all six bundled markets. A tick coarser than that against the price (ADA near $0.80
 * with its 0.0001 tick) still shows through in part.
 */
export function formatBlindPrice(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return NOT_AVAILABLE;
  return String(Number(value.toFixed(BLIND_PRICE_DECIMALS)));
}

/** Four significant digits, for oscillators and averages where the last digits carry no signal. */
export function formatValue(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return NOT_AVAILABLE;
  return String(Number(value.toPrecision(4)));
}

/** A fraction as a percentage, e.g. 0.0123 → `1.23%`. */
export function formatPercent(fraction: number | undefined, decimals = 2): string {
  if (fraction === undefined || !Number.isFinite(fraction)) return NOT_AVAILABLE;
  return `${(fraction * 100).toFixed(decimals)}%`;
}

/** Volumes with a k/M/B suffix and three significant digits. */
export function formatAmount(value: number | undefined): string {
  if (value === undefined || !Number.isFinite(value)) return NOT_AVAILABLE;
  const units: readonly [number, string][] = [
    [1e9, 'B'],
    [1e6, 'M'],
    [1e3, 'k'],
  ];
  for (const [size, suffix] of units) {
    if (Math.abs(value) >= size) return `${Number((value / size).toPrecision(3))}${suffix}`;
  }
  return String(Number(value.toPrecision(3)));
}

/** `DD HH:mm` in UTC: the day is needed because twenty 4h candles span more than three days. */
export function formatCandleTime(openTime: number): string {
  const iso = new Date(openTime).toISOString();
  return `${iso.slice(8, 10)} ${iso.slice(11, 16)}`;
}

export interface SummaryStyle {
  /** The snapshot is in blind units (blinding.ts): print no symbol, no time, and volumes as multiples. */
  readonly blind?: boolean;
}

/** How prices of this style are written. */
export const priceFormatFor = (style: SummaryStyle): typeof formatPrice => (style.blind ? formatBlindPrice : formatPrice);

/** A candle line; in the blind form the time is how many candles ago it opened (0 = the latest closed one). */
function formatCandle(candle: Candle, barsAgo: number, style: SummaryStyle): string {
  const when = style.blind ? String(-barsAgo) : formatCandleTime(candle.openTime);
  const volume = style.blind ? formatValue(candle.volume) : formatAmount(candle.volume);
  const price = priceFormatFor(style);
  return [when, price(candle.open), price(candle.high), price(candle.low), price(candle.close), volume].join(',');
}

function formatIndicators(indicators: IndicatorSet, style: SummaryStyle): string[] {
  const price = priceFormatFor(style);
  const { macd, previousMacd, bollinger, adx14 } = indicators;
  const rsi = `RSI14 ${formatValue(indicators.rsi14)} (prev ${formatValue(indicators.previousRsi14)})`;
  const macdText = macd
    ? `MACD ${formatValue(macd.macd)} signal ${formatValue(macd.signal)} hist ${formatValue(macd.histogram)}` +
      ` (prev hist ${formatValue(previousMacd?.histogram)})`
    : `MACD ${NOT_AVAILABLE}`;
  const bands = bollinger
    ? `BB ${price(bollinger.upper)}/${price(bollinger.middle)}/${price(bollinger.lower)}` +
      ` %B ${formatValue(bollinger.percentB)} width ${formatPercent(bollinger.width)}`
    : `BB ${NOT_AVAILABLE}`;
  const sma = `SMA20/50/200 ${[indicators.sma20, indicators.sma50, indicators.sma200].map(price).join('/')}`;
  const ema = `EMA20/50/200 ${[indicators.ema20, indicators.ema50, indicators.ema200].map(price).join('/')}`;
  const atr = `ATR14 ${formatValue(indicators.atr14)} (${formatPercent(indicators.atrPct)})`;
  const adx = adx14
    ? `ADX ${formatValue(adx14.adx)} +DI ${formatValue(adx14.plusDI)} -DI ${formatValue(adx14.minusDI)}`
    : `ADX ${NOT_AVAILABLE}`;
  const volume = `vol ratio ${formatValue(indicators.volumeRatio)}`;
  return [`${rsi} | ${macdText}`, `${bands} | ${sma} | ${ema}`, `${atr} | ${adx} | ${volume}`];
}

function formatTimeframe(view: TimeframeView, style: SummaryStyle): string {
  const candles = view.candles.slice(-CANDLES_PER_TIMEFRAME);
  const columns = style.blind ? 'candles ago,o,h,l,c,vol/avg' : 'time UTC,o,h,l,c,vol';
  return [
    `[${view.timeframe}] trend ${view.trend}`,
    ...formatIndicators(view.indicators, style),
    `last ${candles.length} candles (${columns}):`,
    ...candles.map((candle, index) => formatCandle(candle, candles.length - 1 - index, style)),
  ].join('\n');
}

function formatHeader(snapshot: MarketSnapshot, style: SummaryStyle): string[] {
  const regime = `regime ${snapshot.regime.kind} ${snapshot.regime.direction}: ${snapshot.regime.reason}`;
  const price = priceFormatFor(style);
  const prices = `price ${price(snapshot.price)} | mark ${price(snapshot.markPrice)}`;
  // Said only where it is not the usual 8 h: a prompt of an 8-hour market stays the same, and with it the hash its
  // archived answers are found by.
  const hours = snapshot.fundingIntervalHours;
  const funding = `funding rate ${formatPercent(snapshot.fundingRate, 4)}${hours === undefined || hours === 8 ? '' : ` every ${hours} h`}`;
  if (style.blind) return [`${prices} | ${funding}`, regime];
  const lastClosed = new Date(snapshot.lastClosedCandle).toISOString().slice(0, 16).replace('T', ' ');
  return [
    `${snapshot.symbol}, last closed 15m candle opened ${lastClosed} UTC`,
    `${prices} | 24h volume ${formatAmount(snapshot.quoteVolume24h)} USDT | ${funding}`,
    regime,
  ];
}

/** Price, volume, funding, regime and every timeframe's indicators and recent candles. */
export function formatMarketSummary(snapshot: MarketSnapshot, style: SummaryStyle = {}): string {
  const timeframes = TIMEFRAMES.map((timeframe) => formatTimeframe(snapshot.timeframes[timeframe], style));
  return [formatHeader(snapshot, style).join('\n'), ...timeframes].join('\n\n');
}
