// Pure indicator math: the per-timeframe summary the analysts read, computed in one fused pass. The textbook steppers
// it is checked against live with the tests (test/unit/domain/indicators/reference).
export { computeIndicators, INDICATOR_PERIODS } from './compute-indicators.js';
export { rsiFrom, trueRange } from './primitives.js';
