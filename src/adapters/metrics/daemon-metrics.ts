// Every metric the daemon exposes on /metrics, in one registry of its own: a second daemon, or a test, in the same
// process gets separate numbers instead of "metric already registered" errors from prom-client's global registry.
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { ExitVote, Vote } from '../../domain/analysis.js';
import type { Logger } from '../../ports/logger.js';
import { AnalystMetrics } from './analyst-metrics.js';
import { ScrapeGauges, type MetricCollectors } from './scrape-gauges.js';

/** Shaped like the engine's LoopObserver, so it can be handed to the daemon as is. */
export interface LoopMetrics {
  tick(info: { startedAt: Date; durationMs: number }): void;
  scan(info: { durationMs: number; symbols: number }): void;
}

export interface DaemonMetrics {
  readonly registry: Registry;
  readonly loop: LoopMetrics;
  observeAnalystCall(vote: Vote | ExitVote): void;
  setCollectors(collectors: MetricCollectors): void;
  readonly contentType: string;
  render(): Promise<string>;
}

export interface DaemonMetricsOptions {
  readonly logger?: Logger;
  /** Node's process metrics (memory, CPU, event-loop lag, GC); off only where several registries would repeat them. */
  readonly defaultMetrics?: boolean;
  /** Bound on each scrape-time collector; default 2 s. */
  readonly collectTimeoutMs?: number;
}

/** A tick checks positions in well under a second, a tick with a scan may wait on AI calls for tens of seconds. */
const TICK_BUCKETS = [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120];
/** Ticks follow the position check (seconds) or the scan interval (minutes); the tail shows a loop falling behind. */
const INTERVAL_BUCKETS = [1, 5, 10, 30, 60, 120, 300, 600, 900, 1800, 3600];
const SCAN_BUCKETS = [0.1, 0.5, 1, 2.5, 5, 10, 20, 30, 60, 120, 300];

function createLoopMetrics(registry: Registry): LoopMetrics {
  const registers = [registry];
  const tickDuration = new Histogram({
    name: 'trading_loop_tick_duration_seconds',
    help: 'Time one pass of the daemon loop took (reconcile, monitor, scan).',
    buckets: TICK_BUCKETS,
    registers,
  });
  const tickInterval = new Histogram({
    name: 'trading_loop_tick_interval_seconds',
    help: 'Time between the starts of consecutive loop passes; growth beyond the schedule is loop lag.',
    buckets: INTERVAL_BUCKETS,
    registers,
  });
  const lastTick = new Gauge({
    name: 'trading_loop_last_tick_timestamp_seconds',
    help: 'Unix time at which the last loop pass finished.',
    registers,
  });
  const scanDuration = new Histogram({
    name: 'trading_scan_duration_seconds',
    help: 'Time one market scan took, from candles to ranked consensus.',
    buckets: SCAN_BUCKETS,
    registers,
  });
  const scanSymbols = new Gauge({
    name: 'trading_scan_symbols',
    help: 'Symbols examined by the last scan.',
    registers,
  });
  let previousStart: number | undefined;
  return {
    tick({ startedAt, durationMs }) {
      const start = startedAt.getTime();
      tickDuration.observe(Math.max(0, durationMs) / 1000);
      if (previousStart !== undefined && start >= previousStart) tickInterval.observe((start - previousStart) / 1000);
      previousStart = start;
      lastTick.set((start + Math.max(0, durationMs)) / 1000);
    },
    scan({ durationMs, symbols }) {
      scanDuration.observe(Math.max(0, durationMs) / 1000);
      scanSymbols.set(symbols);
    },
  };
}

export function createDaemonMetrics(options: DaemonMetricsOptions = {}): DaemonMetrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  const loop = createLoopMetrics(registry);
  const analysts = new AnalystMetrics(registry);
  const gauges = new ScrapeGauges({
    registry,
    logger: options.logger?.child({ module: 'metrics' }),
    collectTimeoutMs: options.collectTimeoutMs ?? 2_000,
  });
  return {
    registry,
    loop,
    observeAnalystCall: (vote) => analysts.observeAnalystCall(vote),
    setCollectors: (collectors) => gauges.setCollectors(collectors),
    contentType: registry.contentType,
    render: () => registry.metrics(),
  };
}
