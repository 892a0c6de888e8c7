// The textbook indicators as streaming steppers and whole-series helpers: the reference the daemon's fused one-pass
// computation (src/domain/indicators/compute-indicators.ts) is held to, operation for operation, in the tests.
export { EmaStepper, SmaStepper, emaSeries, smaSeries } from './moving-average.js';
export { RsiStepper, rsiSeries } from './rsi.js';
export { MacdStepper, macdSeries } from './macd.js';
export type { MacdSeries } from './macd.js';
export { BollingerStepper, bollingerSeries } from './bollinger.js';
export type { BollingerSeries } from './bollinger.js';
export { AtrStepper, atrSeries } from './average-true-range.js';
export type { HighLowClose } from './average-true-range.js';
export { AdxStepper, adxSeries } from './directional-movement.js';
export type { AdxSeries } from './directional-movement.js';
