// Pure indicator math: streaming steppers, whole-series helpers and the per-timeframe summary the analysts read.
export { computeIndicators, INDICATOR_PERIODS } from './compute-indicators.js';
export { EmaStepper, SmaStepper, emaSeries, smaSeries } from './moving-average.js';
export { RsiStepper, rsiSeries } from './rsi.js';
export { MacdStepper, macdSeries } from './macd.js';
export type { MacdSeries } from './macd.js';
export { BollingerStepper, bollingerSeries } from './bollinger.js';
export type { BollingerSeries } from './bollinger.js';
export { AtrStepper, atrSeries, trueRange } from './average-true-range.js';
export type { HighLowClose } from './average-true-range.js';
export { AdxStepper, adxSeries } from './directional-movement.js';
export type { AdxSeries } from './directional-movement.js';
