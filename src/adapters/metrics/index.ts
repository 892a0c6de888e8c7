export { createDaemonMetrics, type DaemonMetrics, type DaemonMetricsOptions, type LoopMetrics } from './daemon-metrics.js';
export { AnalystMetrics, type AnalystCallObserver } from './analyst-metrics.js';
export { MeteredAnalyst } from './metered-analyst.js';
export type { MetricCollectors } from './scrape-gauges.js';
