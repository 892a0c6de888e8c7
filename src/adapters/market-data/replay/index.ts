export { aggregateCandles } from './aggregate-candles.js';
export { DEFAULT_MAX_LEVERAGE, marketSpecsFromExchangeInfo, type MarketSpecOptions } from './exchange-info.js';
export { loadFundingCsv, parseFundingCsv, type FundingRow } from './funding-csv.js';
export { HistoryFormatError } from './history-format-error.js';
export { loadKlineCsv, parseKlineCsv, type KlineParseOptions } from './kline-csv.js';
export { bundledHistoryDir, loadHistory, type LoadHistoryOptions } from './load-history.js';
export { candleBar, pathVertices, priceInCandle } from './price-path.js';
export { marketHistory, replayHistory, type MarketHistory, type ReplayHistory } from './replay-history.js';
export { ReplayMarketData, type ReplayRange } from './replay-market-data.js';
