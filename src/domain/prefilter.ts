// The cheap first stage of the AI cascade: a market where nothing is happening is not worth a paid question.
// "Something happening" means at least two textbook signals at once on closed candles (one alone fires on about half
// of all 15m candles of the bundled history; two together on about a fifth). Each signal has a reason in words.
import type { IndicatorSet, MarketSnapshot } from './analysis.js';

export interface PrefilterResult {
  readonly worthAsking: boolean;
  readonly reasons: readonly string[];
}

/** RSI beyond these is stretched enough for either a reversal or a breakout call. */
const RSI_LOW = 30;
const RSI_HIGH = 70;
/** A close at the outer 5 % of the Bollinger band. */
const BAND_EDGE = 0.05;
/** Twice the usual volume: participation that often starts a move. */
const VOLUME_SURGE = 2;
/** Signals that must coincide before a model is asked. */
export const MIN_SIGNALS = 2;

function macdFlipped(view: IndicatorSet): boolean {
  const now = view.macd?.histogram;
  const before = view.previousMacd?.histogram;
  return now !== undefined && before !== undefined && Math.sign(now) !== Math.sign(before) && before !== 0;
}

export function prefilter(snapshot: MarketSnapshot): PrefilterResult {
  const q = snapshot.timeframes['15m'].indicators;
  const h = snapshot.timeframes['1h'].indicators;
  const reasons: string[] = [];
  const trends = [snapshot.timeframes['15m'].trend, snapshot.timeframes['1h'].trend, snapshot.timeframes['4h'].trend];
  if (snapshot.regime.kind === 'TRENDING' && trends.every((trend) => trend !== 'flat' && trend === trends[0])) {
    reasons.push(`trending ${trends[0]} on 15m, 1h and 4h`);
  }
  for (const [label, view] of [['15m', q], ['1h', h]] as const) {
    if (view.rsi14 !== undefined && (view.rsi14 <= RSI_LOW || view.rsi14 >= RSI_HIGH)) reasons.push(`${label} RSI ${view.rsi14.toFixed(0)}`);
  }
  const percentB = q.bollinger?.percentB;
  if (percentB !== undefined && (percentB <= BAND_EDGE || percentB >= 1 - BAND_EDGE)) reasons.push(`15m close at the Bollinger band (%B ${percentB.toFixed(2)})`);
  if (q.volumeRatio !== undefined && q.volumeRatio >= VOLUME_SURGE) reasons.push(`15m volume ${q.volumeRatio.toFixed(1)}x its average`);
  if (macdFlipped(q)) reasons.push('15m MACD histogram changed sign');
  return { worthAsking: reasons.length >= MIN_SIGNALS, reasons };
}
